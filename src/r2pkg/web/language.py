"""The page's language: one of the six UN languages, for the interface (Flask-Babel) and for the labels alike.

Chosen by `?lang=` in the address (so a link says its language and can be shared), else by the `lang` cookie the
language switcher sets (so the choice holds on every link of the site), else by `Accept-Language`, else English.
Answers whose language came from the cookie or the header say so in `Vary`. The catalogues are the `.po` files in
web/translations/, compiled in memory when first needed: a clean clone or an installed wheel needs no build step.
"""

from __future__ import annotations

import io
import re
from datetime import date
from functools import cache
from importlib.resources import files
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from flask import Blueprint, Flask, abort, g, has_request_context, make_response, redirect, request
from flask_babel import Babel, Domain, get_locale, gettext, lazy_gettext

from .arguments import checked

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
"""The six official UN languages, in the UN's order (English alphabetical order of their names)."""
DEFAULT = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
CATALOGUES = files(__package__) / "translations"

bp = Blueprint("language", __name__)


def closest(tag: str | None) -> str | None:
    """The UN language a language tag asks for (`fr-CA` is French, `zh-Hant` Chinese), None for any other."""
    primary = (tag or "").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def requested() -> str | None:
    """The tag given with ?lang=, checked (400 for something that is not a language tag); None without one."""
    tag = checked("lang", LANG_RE, lazy_gettext("a language tag such as %(examples)s", examples=", ".join(LANGUAGES)))
    return tag.lower() if tag is not None else None


def language_of(req) -> tuple[str, bool]:
    """A request's language (address, cookie, Accept-Language, English) and whether the address chose it.

    Works on Flask's request and on a werkzeug Request made from the WSGI environ (the page replay, before Flask)."""
    tag = req.args.get("lang")
    from_address = closest(tag) if tag and LANG_RE.match(tag) else None
    if from_address:
        return from_address, True
    return (closest(req.cookies.get(COOKIE)) or req.accept_languages.best_match(LANGUAGES) or DEFAULT), False


def current_language() -> str:
    """The request's language, worked out once per request; English outside a request."""
    if not has_request_context():
        return DEFAULT
    if "language" not in g:
        g.language, g.language_from_address = language_of(request)  # not from the address: Vary says so
    return g.language


def varies() -> bool:
    """True when the request's language came from the cookie or Accept-Language rather than the address."""
    current_language()
    return has_request_context() and not g.language_from_address


def direction(lang: str) -> str:
    """The writing direction of a language, for <html dir>: "rtl" for Arabic, "ltr" for the others."""
    return "rtl" if Locale.parse(lang).character_order == "right-to-left" else "ltr"


def native_name(lang: str) -> str:
    """A language's name in that language (Français, العربية, 中文), as the switcher shows it."""
    name = Locale.parse(lang).get_display_name(lang).split(" (")[0]
    return name[:1].upper() + name[1:]


@cache
def catalogue(lang: str) -> NullTranslations:
    """The messages of one language from its .po file, compiled in memory; English is the source language."""
    path = CATALOGUES / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT or not path.is_file():
        return NullTranslations()
    with path.open("rb") as source:
        messages = read_po(source, locale=lang)
    compiled = io.BytesIO()
    write_mo(compiled, messages)
    compiled.seek(0)
    return Translations(compiled, domain="messages")


class CatalogueDomain(Domain):
    """Flask-Babel's message domain, reading the catalogues of web/translations/ through `catalogue`."""

    def get_translations(self):
        return catalogue(str(get_locale() or DEFAULT)) if has_request_context() else NullTranslations()


def switch_url(lang: str) -> str:
    """The switcher's link to this page in another language (through /language, which remembers the choice)."""
    here = request.path + ("?" + urlencode([(k, v) for k, v in request.args.items(multi=True) if k != "lang"])
                           if any(k != "lang" for k in request.args) else "")
    return f"/language/{lang}?" + urlencode({"next": here})


def with_language(path: str, lang: str) -> str:
    """A local path with ?lang= set to `lang` (its other arguments and fragment kept)."""
    parts = urlsplit(path)
    args = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"] + [("lang", lang)]
    return urlunsplit(("", "", parts.path, urlencode(args), parts.fragment))


@bp.get("/language/<lang>")
def switch(lang: str):
    """The language switcher: remember the language in a cookie and go back to the page (`next`) in it."""
    if lang not in LANGUAGES:
        abort(404, description=gettext("There is no interface in %(name)s; choose one of: %(choices)s.",
                                       name=repr(lang), choices=", ".join(LANGUAGES)))
    target = request.args.get("next", "/")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        target = "/"  # only pages of this site: never an open redirect
    response = make_response(redirect(with_language(target, lang), code=303))
    response.set_cookie(COOKIE, lang, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True)
    return response


def local_date(value) -> str:
    """An ISO date as precise as the source gives it (2017, 2017-09, 2017-09-07) written in the page's language."""
    text = str(value)
    lang = current_language()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return format_date(date.fromisoformat(text), "long", locale=lang)
        if re.fullmatch(r"\d{4}-\d{2}", text):
            return format_skeleton("yMMMM", date.fromisoformat(text + "-01"), locale=lang)
    except ValueError:
        pass
    return text


def init_app(app: Flask) -> None:
    """Flask-Babel for the app (the request's language, the catalogues), the switcher and the language's headers."""
    babel = Babel(app, locale_selector=current_language)
    babel.domain_instance = CatalogueDomain()
    app.register_blueprint(bp)
    app.jinja_env.filters["local_date"] = local_date

    @app.context_processor
    def language_context():
        lang = current_language()
        return {"ui_lang": lang, "ui_dir": direction(lang), "ui_languages": LANGUAGES, "native_name": native_name,
                "switch_url": switch_url, "fallback_notice": fallback_notice}

    @app.after_request
    def say_the_language(response):
        if response.mimetype == "text/html":
            response.headers["Content-Language"] = current_language()
            if varies():
                response.vary.update(("Accept-Language", "Cookie"))
        return response


def note_fallback(lang: str) -> None:
    """Remember that the page shows a label in `lang` for want of one in its own language (see `fallback_notice`)."""
    if has_request_context():
        g.setdefault("fallback_languages", set()).add(closest(lang) or lang)


def fallback_notice() -> str | None:
    """The page's one notice that some names are in another language, or None when every label is in its language."""
    shown = sorted(g.get("fallback_languages", ())) if has_request_context() else []
    if not shown:
        return None
    lang = current_language()
    names = format_list([language_name(code, lang) for code in shown], locale=lang)
    return gettext("Some names are shown in %(shown)s because the sources give none in %(language)s.",
                   shown=names, language=language_name(lang, lang))


def language_name(code: str, in_lang: str) -> str:
    """The name of the language `code` in the language `in_lang` (the code itself when Babel does not know it)."""
    try:
        return Locale.parse(code, sep="-").get_display_name(in_lang) or code
    except (UnknownLocaleError, ValueError, TypeError):
        return code


def N_(text: str) -> str:
    """Marks a word for the catalogues that the pages translate where they show it (`_(word)` in a template)."""
    return text


SHOWN_WORDS = (
    # the kinds of entity pages (namespaces.ID_KINDS), shown above an entity's name
    N_("category"), N_("commitment"), N_("crime"), N_("document"), N_("derivation"), N_("event"), N_("fact"),
    N_("measure"), N_("mechanism"), N_("membership"), N_("organisation"), N_("person"), N_("pillar"), N_("place"),
    N_("post"), N_("recommendation"), N_("role"), N_("rule"), N_("scheme"), N_("situation"), N_("state"),
    N_("statement"), N_("tenure"), N_("theme"),
    # the paths of "what applies" (queries/applies-to-actor.rq)
    N_("named directly"), N_("member of an addressed network"), N_("has the addressed post"), N_("broad category"),
    # what a section without entries says when its table gives no words of its own (sections.SectionSpec)
    N_("None recorded."),
)
"""Words that reach the pages from the data's tables and queries rather than from a template."""
