"""Run templates that Jinja compiled earlier, without importing Jinja.

Why: importing ``jinja2`` costs about 40 ms, four times a bare ``python -c pass`` and half of
``sm-advisor new``. Jinja turns each template into Python source that calls a small runtime
(``jinja2.runtime``: contexts, macros, loops, undefined values). ``generators.template_bundle``
keeps that source, compiled, in the user's cache with its template's text; this module is the
small runtime it then runs against.

It covers what sm-advisor's templates use and nothing more: the house settings (no autoescape,
StrictUndefined), plain and imported macros with ``caller``/``varargs``/``kwargs``, ``loop``, the
filters ``join length sort unique list wordwrap format`` in the forms the templates call them,
and the ``boolean`` test. Anything else raises :class:`NeedsJinja`, and so does every use of an
undefined value. ``generators.render`` then renders the whole project again with Jinja itself,
which is the reference: its output, or its error, is the answer. The fast path can therefore
never produce a different tree or a different message, only a slower run; a test renders every
project variant both ways and compares them byte for byte.
"""

from __future__ import annotations

import marshal
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from generators import template_filters
from generators.errors import NeedsJinja

# Templated path components are kept in a bundle under this prefix and their own text.
PATH_KEY = "\x00path:"


class _Missing:
    def __repr__(self) -> str:
        return "missing"


missing: Any = _Missing()


def identity(x: Any) -> Any:
    return x


def internalcode(f: Any) -> Any:
    return f


def str_join(seq: Iterable[Any]) -> str:
    return "".join(map(str, seq))


def _no_markup(*_: Any, **__: Any) -> Any:
    raise NeedsJinja("escaping is only used with autoescape, which generated projects never use")


markup_join = escape = Markup = _no_markup


class TemplateRuntimeError(NeedsJinja):
    """Raised by compiled code for errors Jinja would report (Jinja then reports them)."""


class TemplateNotFound(TemplateRuntimeError):
    """Raised by compiled code for a missing template."""


class Undefined:
    """A value that is not there, as Jinja's plain ``Undefined``: empty, false, iterates nothing.

    Compiled code uses it for an inline ``if`` without ``else``; anything more than printing,
    testing or iterating it is an error (Jinja would raise UndefinedError).
    """

    __slots__ = ("_hint",)

    def __init__(self, hint: str | None = None, obj: Any = missing, name: Any = None) -> None:
        self._hint = hint or name

    def _fail(self, *_: Any, **__: Any) -> Any:
        raise NeedsJinja(f"undefined value {self._hint!r}")

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__" and name[-2:] == "__":
            raise AttributeError(name)
        return self._fail()

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = _fail
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __mod__ = __rmod__ = _fail
    __pos__ = __neg__ = __call__ = __getitem__ = __lt__ = __le__ = __gt__ = __ge__ = _fail
    __int__ = __float__ = __complex__ = __pow__ = __rpow__ = _fail

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return id(type(self))

    def __str__(self) -> str:
        return ""

    def __len__(self) -> int:
        return 0

    def __iter__(self) -> Iterator[Any]:
        yield from ()

    def __bool__(self) -> bool:
        return False


class StrictUndefined(Undefined):
    """The house setting: a missing value is an error whatever is done with it."""

    __slots__ = ()
    __iter__ = __str__ = __len__ = __eq__ = __ne__ = __bool__ = __hash__ = Undefined._fail
    __contains__ = Undefined._fail


class Namespace:
    """Jinja's ``namespace()``: attributes that ``{% set ns.x = ... %}`` may change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        object.__setattr__(self, "_attrs", dict(*args, **kwargs))

    def __getattribute__(self, name: str) -> Any:
        if name in {"_attrs", "__class__"}:
            return object.__getattribute__(self, name)
        try:
            return object.__getattribute__(self, "_attrs")[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setitem__(self, name: str, value: Any) -> None:
        self._attrs[name] = value


class TemplateReference:
    """``self`` in a template (its blocks): sm-advisor's templates have none."""

    def __init__(self, context: Context) -> None:
        raise NeedsJinja("template blocks")


class EvalContext:
    autoescape = False
    volatile = False


_EVAL_CONTEXT = EvalContext()


class Context:
    """The variables of one rendering: the caller's (``parent``) and the template's own."""

    def __init__(self, environment: Environment, parent: dict[str, Any], name: str | None) -> None:
        self.parent = parent
        self.vars: dict[str, Any] = {}
        self.environment = environment
        self.eval_ctx = _EVAL_CONTEXT
        self.exported_vars: set[str] = set()
        self.name = name
        self.globals_keys = set(environment.globals)
        self.blocks: dict[str, Any] = {}

    def resolve_or_missing(self, key: str) -> Any:
        if key in self.vars:
            return self.vars[key]
        if key in self.parent:
            return self.parent[key]
        return missing

    def get_exported(self) -> dict[str, Any]:
        return {k: self.vars[k] for k in self.exported_vars}

    def get_all(self) -> dict[str, Any]:
        if not self.vars:
            return self.parent
        if not self.parent:
            return self.vars
        return dict(self.parent, **self.vars)

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        # Jinja passes a context or environment to callables marked for it; none are used here.
        if hasattr(__obj, "jinja_pass_arg") or hasattr(type(__obj), "jinja_pass_arg"):
            raise NeedsJinja("a callable that asks Jinja for its context")
        kwargs.pop("_block_vars", None)
        kwargs.pop("_loop_vars", None)
        return __obj(*args, **kwargs)

    def derived(self, locals: Mapping[str, Any] | None = None) -> Context:
        return _new_context(self.environment, self.name, self.get_all(), True, None, locals)


def _new_context(
    environment: Environment,
    name: str | None,
    vars: dict[str, Any] | None,
    shared: bool,
    globals: Mapping[str, Any] | None,
    locals: Mapping[str, Any] | None,
) -> Context:
    """As ``jinja2.runtime.new_context``: shared contexts use ``vars`` itself as their parent."""
    vars = {} if vars is None else vars
    parent = vars if shared else dict(globals or (), **vars)
    if locals:
        if shared:
            parent = dict(parent)
        for key, value in locals.items():
            if value is not missing:
                parent[key] = value
    return Context(environment, parent, name)


class LoopContext:
    """``loop`` inside a ``for``: the attributes Jinja offers, computed the same way."""

    index0 = -1
    _length: int | None = None
    _after: Any = missing
    _current: Any = missing
    _before: Any = missing

    def __init__(
        self, iterable: Iterable[Any], undefined: Any, recurse: Any = None, depth0: int = 0
    ) -> None:
        if recurse is not None:
            raise NeedsJinja("recursive loops")
        self._iterable = iterable
        self._iterator = iter(iterable)
        self._undefined = undefined
        self.depth0 = depth0

    @property
    def length(self) -> int:
        if self._length is None:
            try:
                self._length = len(self._iterable)  # type: ignore[arg-type]
            except TypeError:
                rest = list(self._iterator)
                self._iterator = iter(rest)
                self._length = len(rest) + self.index + (self._after is not missing)
        return self._length

    def __len__(self) -> int:
        return self.length

    @property
    def depth(self) -> int:
        return self.depth0 + 1

    @property
    def index(self) -> int:
        return self.index0 + 1

    @property
    def revindex0(self) -> int:
        return self.length - self.index

    @property
    def revindex(self) -> int:
        return self.length - self.index0

    @property
    def first(self) -> bool:
        return self.index0 == 0

    def _peek_next(self) -> Any:
        if self._after is missing:
            self._after = next(self._iterator, missing)
        return self._after

    @property
    def last(self) -> bool:
        return self._peek_next() is missing

    @property
    def previtem(self) -> Any:
        return self._undefined("there is no previous item") if self.first else self._before

    @property
    def nextitem(self) -> Any:
        rv = self._peek_next()
        return self._undefined("there is no next item") if rv is missing else rv

    def cycle(self, *args: Any) -> Any:
        if not args:
            raise NeedsJinja("no items for cycling given")
        return args[self.index0 % len(args)]

    def __iter__(self) -> LoopContext:
        return self

    def __next__(self) -> tuple[Any, LoopContext]:
        if self._after is not missing:
            rv = self._after
            self._after = missing
        else:
            rv = next(self._iterator)
        self.index0 += 1
        self._before = self._current
        self._current = rv
        return rv, self


class Macro:
    """A ``{% macro %}`` (or a ``{% call %}`` body): binds arguments as Jinja's Macro does."""

    def __init__(
        self,
        environment: Environment,
        func: Callable[..., str],
        name: str | None,
        arguments: tuple[str, ...],
        catch_kwargs: bool,
        catch_varargs: bool,
        caller: bool,
        default_autoescape: bool | None = None,
    ) -> None:
        self._environment = environment
        self._func = func
        self._argument_count = len(arguments)
        self.name = name
        self.arguments = arguments
        self.catch_kwargs = catch_kwargs
        self.catch_varargs = catch_varargs
        self.caller = caller
        self.explicit_caller = "caller" in arguments

    def __call__(self, *args: Any, **kwargs: Any) -> str:
        arguments = list(args[: self._argument_count])
        found_caller = False
        if len(arguments) != self._argument_count:
            for name in self.arguments[len(arguments) :]:
                arguments.append(kwargs.pop(name, missing))
                found_caller = found_caller or name == "caller"
        else:
            found_caller = self.explicit_caller
        if self.caller and not found_caller:
            caller = kwargs.pop("caller", None)
            arguments.append(Undefined("No caller defined") if caller is None else caller)
        if self.catch_kwargs:
            arguments.append(kwargs)
        elif kwargs:
            raise NeedsJinja(f"macro {self.name!r}: no keyword argument {next(iter(kwargs))!r}")
        if self.catch_varargs:
            arguments.append(args[self._argument_count :])
        elif len(args) > self._argument_count:
            raise NeedsJinja(f"macro {self.name!r} takes not more than {self._argument_count}")
        return self._func(*arguments)


class TemplateModule:
    """An imported template: its exported macros and variables as attributes."""

    def __init__(self, template: Template, context: Context) -> None:
        self._body_stream = list(template.root_render_func(context))
        self.__dict__.update(context.get_exported())
        self.__name__ = template.name

    def __str__(self) -> str:
        return "".join(self._body_stream)


class Template:
    """One compiled template: its render function, made from the code Jinja generated."""

    def __init__(self, environment: Environment, name: str, code: Any, filename: str) -> None:
        namespace: dict[str, Any] = {"environment": environment, "__file__": filename}
        exec(code, namespace)  # noqa: S102 - code Jinja compiled from our own templates
        if namespace.get("blocks"):
            raise NeedsJinja("template blocks")
        self.environment = environment
        self.name = name
        self.globals = environment.globals
        self.blocks: dict[str, Any] = {}
        self.root_render_func: Callable[[Context], Iterator[str]] = namespace["root"]
        self._module: TemplateModule | None = None

    def new_context(
        self,
        vars: dict[str, Any] | None = None,
        shared: bool = False,
        locals: Mapping[str, Any] | None = None,
    ) -> Context:
        return _new_context(self.environment, self.name, vars, shared, self.globals, locals)

    def make_module(
        self,
        vars: dict[str, Any] | None = None,
        shared: bool = False,
        locals: Mapping[str, Any] | None = None,
    ) -> TemplateModule:
        return TemplateModule(self, self.new_context(vars, shared, locals))

    def _get_default_module(self, ctx: Context | None = None) -> TemplateModule:
        if ctx is not None:
            keys = ctx.globals_keys - self.globals.keys()
            if keys:
                return self.make_module({k: ctx.parent[k] for k in keys})
        if self._module is None:
            self._module = self.make_module()
        return self._module

    def render(self, context: dict[str, Any]) -> str:
        return "".join(self.root_render_func(self.new_context(dict(context))))


class Filters(dict[str, Any]):
    """The filters the templates use; a missing one is :class:`NeedsJinja` (Jinja decides)."""

    def __missing__(self, name: str) -> Any:
        raise NeedsJinja(f"filter or test {name!r}")


class Environment:
    """What compiled templates call as ``environment``: look-ups, filters and other templates."""

    undefined = StrictUndefined

    def __init__(
        self, root: Path, codes: Mapping[str, tuple[bytes, bytes]], filters: Mapping[str, Any]
    ) -> None:
        self.root = root
        self._codes = codes
        self._templates: dict[str, Template] = {}
        self.globals: dict[str, Any] = {"range": range, "dict": dict, "namespace": Namespace}
        self.filters = Filters(template_filters.FILTERS, **filters)
        self.tests = Filters(template_filters.TESTS)

    @staticmethod
    def concat(parts: Iterable[str]) -> str:
        return "".join(parts)

    def getattr(self, obj: Any, attribute: str) -> Any:
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        try:
            return obj[argument]
        except (AttributeError, TypeError, LookupError):
            if isinstance(argument, str):
                try:
                    return getattr(obj, argument)
                except AttributeError:
                    pass
            return self.undefined(obj=obj, name=argument)

    def get_template(self, name: Any, parent: str | None = None) -> Template:
        """The compiled template ``name``, if its source is still the one it was compiled from."""
        if not isinstance(name, str):
            raise NeedsJinja("a template chosen from a list")
        found = self._templates.get(name)
        if found is None:
            entry = self._codes.get(name)
            if entry is None:
                raise NeedsJinja(f"{name} was not compiled")
            source, code = entry
            path = self.root / name
            try:
                current = path.read_bytes()
            except OSError as err:
                raise NeedsJinja(f"{name}: {err}") from err
            if current != source:
                raise NeedsJinja(f"{name} changed since it was compiled")
            found = self._templates[name] = Template(self, name, marshal.loads(code), str(path))
        return found

    get_or_select_template = get_template

    def from_source(self, source: str) -> Template:
        """A template compiled from ``source`` alone (the templated path components)."""
        entry = self._codes.get(PATH_KEY + source)
        if entry is None or entry[0] != source.encode("utf-8"):
            raise NeedsJinja("path components not compiled")
        return Template(self, "<file names>", marshal.loads(entry[1]), "<file names>")
