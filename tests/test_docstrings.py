"""Every public function that raises says so: its docstring carries a Google-style section

    Raises:
        SomeError: when ...

naming each exception it raises by name (the design's rule for public functions, issue 16).

What counts, read with ``ast`` from every module under ``src/citywatch`` (migrations aside):

- a *public function* is a module-level function, or a method of a module-level class, whose
  name (and whose class's name) does not start with ``_``; a function nested in another is part
  of its enclosing function, so a decorator's wrapper that raises makes the decorator document it;
- a *raise* is a ``raise`` statement with an exception; a bare ``raise`` only re-raises what a
  callee raised, so it is not counted.

Left out, because they follow Django's conventions rather than being our API (Django, not our
code, calls them and turns their exceptions into responses or form errors):

- view functions: module-level functions whose first parameter is ``request`` in ``views.py``
  or ``*_views.py``, and any function decorated as a view (``VIEW_DECORATORS``, Django Ninja
  routes such as ``@api.get(...)``/``@router.post(...)``);
- ``handle`` of a management command (``management/commands/*.py``): Django prints its
  ``CommandError``;
- the model, form and form-field hooks Django calls (``DJANGO_HOOKS``, and ``clean_<field>``),
  when they are methods.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "citywatch"

# Decorators that make a function a view (Django's and our permission decorators over views).
VIEW_DECORATORS = frozenset(
    {
        "login_required",
        "permission_required",
        "require_POST",
        "require_GET",
        "require_safe",
        "require_http_methods",
        "never_cache",
        "cache_control",
        "cache_page",
        "csrf_protect",
        "csrf_exempt",
        "condition",
        "requires",
        "contributor_required",
        "campaigner_required",
        "outbox_reader_required",
        "cache_for_visitors",
    }
)
# Django Ninja route decorators: @api.get(...), @router.post(...).
ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "api_operation"})
# Methods Django calls on models, forms and form fields (Model.full_clean, Form.is_valid, ...).
DJANGO_HOOKS = frozenset(
    {
        "clean",
        "clean_fields",
        "full_clean",
        "save",
        "delete",
        "validate_unique",
        "validate_constraints",
    }
)
RAISES_SECTION = re.compile(r"^\s*Raises:\s*$", re.MULTILINE)
SECTION_END = re.compile(r"^\S", re.MULTILINE)

Function = ast.FunctionDef | ast.AsyncFunctionDef


def decorator_name(decorator: ast.expr) -> str:
    """The last dotted part of a decorator (``permissions.requires(...)`` → ``requires``)."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else ""


def is_route(decorator: ast.expr) -> bool:
    """``@api.get("/path")`` or ``@router.patch(...)``: a Django Ninja endpoint."""
    return (
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr in ROUTE_METHODS
    )


def is_view(path: Path, function: Function, in_class: bool) -> bool:
    """A view function, by its module and first parameter or by its decorators."""
    for decorator in function.decorator_list:
        if decorator_name(decorator) in VIEW_DECORATORS or is_route(decorator):
            return True
    in_views_module = path.name == "views.py" or path.name.endswith("_views.py")
    arguments = function.args.posonlyargs + function.args.args
    return in_views_module and not in_class and bool(arguments) and arguments[0].arg == "request"


def is_excluded(path: Path, function: Function, in_class: bool) -> bool:
    """True for the Django conventions the module docstring lists."""
    if is_view(path, function, in_class):
        return True
    if in_class and path.parent.name == "commands" and function.name == "handle":
        return True
    return in_class and (function.name in DJANGO_HOOKS or function.name.startswith("clean_"))


def public_functions(tree: ast.Module) -> Iterator[tuple[Function, bool]]:
    """(function, is a method) for each public module-level function and public method."""
    for node in tree.body:
        if isinstance(node, Function) and not node.name.startswith("_"):
            yield node, False
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for item in node.body:
                if isinstance(item, Function) and not item.name.startswith("_"):
                    yield item, True


def raised_names(function: Function) -> list[str]:
    """The exceptions the function (nested functions included) raises, by name; a raise of a
    variable (``raise error``) gives ``""``. Bare re-raises are not listed."""
    names = []
    for node in ast.walk(function):
        if isinstance(node, ast.Raise) and node.exc is not None:
            exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            is_class = isinstance(exc, ast.Attribute | ast.Name)
            name = exc.attr if isinstance(exc, ast.Attribute) else getattr(exc, "id", "")
            names.append(name if is_class and name[:1].isupper() else "")
    return names


def raises_section(docstring: str) -> str | None:
    """The text of the docstring's ``Raises:`` section, or None when it has none."""
    found = RAISES_SECTION.search(docstring)
    if found is None:
        return None
    rest = docstring[found.end() :]
    end = SECTION_END.search(rest)
    return rest[: end.start()] if end else rest


def offenders() -> tuple[list[str], list[str]]:
    """(functions that raise without a Raises: section, functions whose section misses a raised
    exception), each as ``path:line name``."""
    missing, incomplete = [], []
    for path in sorted(SOURCE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for function, in_class in public_functions(tree):
            names = raised_names(function)
            if not names or is_excluded(path, function, in_class):
                continue
            where = f"{path.relative_to(SOURCE.parent)}:{function.lineno} {function.name}"
            section = raises_section(ast.get_docstring(function) or "")
            if section is None:
                missing.append(where)
                continue
            unnamed = sorted({name for name in names if name and name not in section})
            if unnamed:
                incomplete.append(f"{where} (not named: {', '.join(unnamed)})")
    return missing, incomplete


def test_every_public_function_that_raises_documents_it():
    missing, incomplete = offenders()
    assert not missing, "Public functions that raise with no 'Raises:' section:\n" + "\n".join(
        missing
    )
    assert not incomplete, "'Raises:' sections that miss an exception raised:\n" + "\n".join(
        incomplete
    )


def test_the_scan_sees_what_it_should():
    """The scan finds a raise with no section, accepts a full section, and keeps out what the
    module docstring excludes (so a broken scan cannot pass the test above by finding nothing)."""
    source = '''
def bare(x):
    """No section."""
    raise ValueError(x)

def documented(x):
    """Documented.

    Raises:
        ValueError: when x is wrong.
    """
    raise ValueError(x)

def half(x):
    """Half.

    Raises:
        ValueError: when x is wrong.
    """
    if x:
        raise KeyError(x)
    raise ValueError(x)

def reraise():
    """Only re-raises."""
    try:
        pass
    except OSError:
        raise

def decorator(view):
    """A decorator whose wrapper raises."""
    def wrapper(request):
        raise PermissionError
    return wrapper

class Form:
    def clean(self):
        raise ValueError

    def clean_name(self):
        raise ValueError

    def other(self):
        raise LookupError
'''
    tree = ast.parse(source)
    path = Path("services.py")
    found = {
        function.name: (raised_names(function), is_excluded(path, function, in_class))
        for function, in_class in public_functions(tree)
    }
    assert found["bare"] == (["ValueError"], False)
    assert found["reraise"] == ([], False)
    assert found["decorator"] == (["PermissionError"], False)
    assert found["clean"][1] and found["clean_name"][1]
    assert found["other"] == (["LookupError"], False)
    functions = {function.name: function for function, _ in public_functions(tree)}
    assert raises_section(ast.get_docstring(functions["bare"])) is None
    assert "ValueError" in raises_section(ast.get_docstring(functions["documented"]))
    assert "KeyError" not in raises_section(ast.get_docstring(functions["half"]))
    view = ast.parse("def page(request, slug):\n    raise Http404\n").body[0]
    assert is_excluded(Path("tip_views.py"), view, False)
    assert not is_excluded(Path("tips.py"), view, False)
    handle = ast.parse("class Command:\n    def handle(self):\n        raise E\n").body[0].body[0]
    assert is_excluded(Path("management/commands/run.py"), handle, True)
