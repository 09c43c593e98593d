"""Widgets built from the questionnaire definition: one field per question, score bars."""
