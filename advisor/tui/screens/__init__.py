"""The app's screens, one per step: welcome, questions, result, generate, done, and modals."""
