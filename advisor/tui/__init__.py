"""The interactive questionnaire (Textual). Imported only on the interactive path.

``advisor.commands.tui`` imports ``advisor.tui.app`` inside its ``run`` function, so ``assess``,
``new``, ``explain`` and ``schema`` never load textual.
"""
