"""Drive the TUI with Textual's pilot, waiting for conditions rather than for time.

``pilot.press`` returns once the process *looks* idle: its CPU time stopped advancing for 20 ms.
On a loaded machine a descheduled process looks idle too, so a key could arrive before the
screen or widget it was meant for, and an assertion could run before the key's effect. These
helpers wait for what the next step needs (a screen shown, a widget focused, a value in a field,
a worker done), each with a bound and a message that says what never happened.

Typed text is sent in one go: the keys go to the focused input in order, and the helper then
waits for the input to hold the text (``pilot.press`` would pause after every character).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from textual import events
from textual.css.query import NoMatches
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import WorkerCancelled, WorkerFailed

from advisor.tui.app import AdvisorApp
from advisor.tui.screens.generate import GenerateScreen
from advisor.tui.screens.result import ResultScreen

Scenario = Callable[[Pilot[Any]], Awaitable[None]]
S = TypeVar("S", bound=Screen[Any])

TIMEOUT = 15.0  # seconds: far above what any step takes on a loaded two-core machine
POLL = 0.005  # seconds between checks (the screen refreshes at its own pace meanwhile)


def drive(
    app: AdvisorApp,
    scenario: Scenario,
    size: tuple[int, int] = (80, 24),
    toasts: bool = False,
) -> None:
    """Run ``scenario`` against ``app`` in a headless terminal of ``size``, once it is ready."""

    async def main() -> None:
        async with app.run_test(size=size, notifications=toasts) as pilot:
            await until(pilot, lambda: app.screen.is_mounted, "the first screen")
            await scenario(pilot)

    asyncio.run(main())


async def until(
    pilot: Pilot[Any], condition: Callable[[], object], what: str, timeout: float = TIMEOUT
) -> None:
    """Let the app run until ``condition()`` is true; fail saying ``what`` did not happen.

    A widget the condition queries may not be mounted yet: that counts as "not yet".
    """
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(NoMatches):
            if condition():
                return
        if time.monotonic() > deadline:
            app = pilot.app
            where = f"{type(app.screen).__name__} on top, focus on {app.focused!r}"
            raise AssertionError(f"waited {timeout:g} s for {what} ({where})")
        await asyncio.sleep(POLL)


async def shown(pilot: Pilot[Any], screen_type: type[S]) -> S:
    """Wait until a ``screen_type`` screen is on top and mounted; return it."""

    def ready() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, screen_type) and screen.is_mounted

    await until(pilot, ready, f"a {screen_type.__name__} on top")
    screen = pilot.app.screen
    assert isinstance(screen, screen_type)
    return screen


async def focused(pilot: Pilot[Any], selector: str) -> Widget:
    """Wait until the widget matching ``selector`` on the top screen has focus; return it.

    The app names its focused widget at once; the widget itself learns it from a Focus event
    (an input then selects its text). Only then do keys reach it in the state a user's would.
    """

    def has_focus() -> bool:
        widget = pilot.app.screen.query_one(selector)
        return pilot.app.focused is widget and widget.has_focus

    await until(pilot, has_focus, f"{selector} to have focus")
    widget = pilot.app.focused
    assert widget is not None
    return widget


def key_event(key: str) -> events.Key:
    """The event ``pilot.press(key)`` sends: a key name, or one character to type."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(
            _get_unicode_name_from_key(REPLACED_KEYS.get(key, key))
        )
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def send(pilot: Pilot[Any], *keys: str) -> None:
    """Post key presses to the app, in order, without waiting: the caller waits for their effect.

    The app hands each key to whatever has focus when it gets there, so keys after one that
    moves the focus or opens a screen must wait until that has happened. A key that a binding
    handles (tab, ctrl+…, arrows) bubbles up to the app before it acts, while typed characters
    are taken by the input at once: send them together only if they all go one of the two ways.
    """
    for key in keys:
        event = key_event(key)
        event.set_sender(pilot.app)
        pilot.app.post_message(event)


async def move(pilot: Pilot[Any], key: str, selector: str) -> Widget:
    """Press ``key`` and wait until the widget matching ``selector`` has focus; return it."""
    send(pilot, key)
    return await focused(pilot, selector)


async def type_text(pilot: Pilot[Any], text: str, expect: str | None = None) -> Input:
    """Type ``text`` into the focused input and wait until it reads ``expect`` (default: text).

    The questionnaire's and the forms' inputs select their text on focus, so typing replaces it.
    """
    field = pilot.app.focused
    assert isinstance(field, Input), f"an input should have focus, not {field!r}"
    send(pilot, *text)
    want = text if expect is None else expect
    await until(pilot, lambda: field.value == want, f"#{field.id} to read {want!r}")
    return field


async def replace_text(pilot: Pilot[Any], text: str) -> Input:
    """Select all of the focused input with the keyboard (ctrl+shift+a), then type over it.

    The selection is waited for before typing: ctrl+shift+a is a binding, which the app runs
    only once the key has bubbled up to it, after the input has already taken typed characters.
    """
    field = pilot.app.focused
    assert isinstance(field, Input), f"an input should have focus, not {field!r}"
    if field.selected_text != field.value:
        send(pilot, "ctrl+shift+a")
        await until(pilot, lambda: field.selected_text == field.value, f"#{field.id} selected")
    return await type_text(pilot, text)


async def settle(pilot: Pilot[Any]) -> None:
    """Wait for the app's workers (dry run, generation, measuring) and the messages they send.

    A worker that fails or is replaced by a newer one (a dry run) is not an error here: tests
    assert what the screen then shows.
    """
    for _ in range(2):
        with contextlib.suppress(WorkerCancelled, WorkerFailed):
            await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def record_notes(app: AdvisorApp) -> list[str]:
    """Record the message of every notification ``app`` shows from now on, in order.

    Textual forgets a notification when it expires (after 5 s); the record keeps them all.
    """
    messages: list[str] = []
    notify = app.notify

    def recording(message: str, *args: Any, **kwargs: Any) -> None:
        messages.append(message)
        notify(message, *args, **kwargs)

    app.notify = recording  # type: ignore[method-assign]
    return messages


async def generate_form(pilot: Pilot[Any]) -> GenerateScreen:
    """From the welcome screen, go to the result, then to the generate form (r, g)."""
    await focused(pilot, "#start")
    send(pilot, "r")
    await shown(pilot, ResultScreen)
    await focused(pilot, "#generate")
    send(pilot, "g")
    form = await shown(pilot, GenerateScreen)
    await focused(pilot, "#directory")
    return form
