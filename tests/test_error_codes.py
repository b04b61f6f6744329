"""One error root: every error r2pkg raises is an `R2pkgError`, and every command turns one into its message on stderr
and its exit code (1 the data fails a check, 2 the command could not run)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import click
import pytest
from click.testing import CliRunner

import r2pkg
from r2pkg.build import BuildError
from r2pkg.cli import CommandError, main, reports_errors
from r2pkg.dataset import LoadError
from r2pkg.errors import CheckFailed, R2pkgError
from r2pkg.store import QueryError, StoreError


def _error_classes() -> list[type]:
    classes = set()
    for module in pkgutil.walk_packages(r2pkg.__path__, "r2pkg."):
        if module.name == "r2pkg.__main__":
            continue
        for _, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__.startswith("r2pkg."):
                classes.add(cls)
    return sorted(classes, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_every_error_of_the_package_is_an_r2pkg_error():
    classes = _error_classes()
    assert {LoadError, StoreError, QueryError, BuildError, CommandError} <= set(classes)
    # click's exception class is how the command line shows one of ours
    assert [f"{cls.__module__}.{cls.__qualname__}" for cls in classes
            if not issubclass(cls, (R2pkgError, click.ClickException))] == []


def test_every_command_reports_r2pkg_errors():
    assert [name for name, command in main.commands.items()
            if not getattr(command.callback, "reports_errors", False)] == []


@pytest.mark.parametrize(("error", "code"), [
    (CheckFailed("the data fails a check"), 1),
    (BuildError("the data does not conform to the shapes; nothing was released"), 1),
    (LoadError("data/core.ttl:3: bad syntax"), 2),
    (QueryError("unknown prefix foo"), 2),
    (CommandError("no such folder: /nowhere"), 2),
])
def test_an_error_ends_the_command_with_its_message_and_exit_code(error, code):
    @click.command()
    @reports_errors
    def failing():
        click.echo("started")
        raise error

    result = CliRunner().invoke(failing, [])
    assert (result.exit_code, result.stdout, result.stderr) == (code, "started\n", f"Error: {error}\n")


def test_other_exceptions_are_not_swallowed():
    @click.command()
    @reports_errors
    def failing():
        raise KeyError("a bug")

    result = CliRunner().invoke(failing, [])
    assert result.exit_code == 1 and isinstance(result.exception, KeyError)
