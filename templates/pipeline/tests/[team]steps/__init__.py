"""Per-step tests (the team extra): one module per pipeline step."""
