// The page's words for its scripts, in the page's language: the template writes them, translated, into
// <script id="page-words" type="application/json"> as {English message: translation}. Scripts ask by the English
// message, so a word the template forgot still shows (in English) and tests can find it.
(function () {
  "use strict";
  const node = document.getElementById("page-words");
  const words = node ? JSON.parse(node.textContent) : {};
  const lang = document.documentElement.lang || "en";

  function word(message) {
    return Object.prototype.hasOwnProperty.call(words, message) ? words[message] : message;
  }

  // A message with %(name)s placeholders (Python's format, as in the catalogues) filled from `values`.
  function format(message, values) {
    return word(message).replace(/%\((\w+)\)s/g, (whole, name) => (name in values ? String(values[name]) : whole));
  }

  // A number written the way the page's language writes it (separators), in Latin digits as the server writes them.
  function number(value, digits) {
    const options = digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits };
    return new Intl.NumberFormat(lang + "-u-nu-latn", options).format(value);
  }

  // An xsd:date, gYearMonth, gYear or dateTime value written the way the page's language writes dates; anything
  // else as it is.
  function date(value) {
    const match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(T.*)?$/.exec(String(value));
    if (!match || !match[2]) return String(value);
    const moment = match[4] ? new Date(value) : new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3] || 1)));
    if (Number.isNaN(moment.getTime())) return String(value);
    const options = !match[3] ? { year: "numeric", month: "long", timeZone: "UTC" }
      : match[4] ? { dateStyle: "long", timeStyle: "short", timeZone: "UTC" } : { dateStyle: "long", timeZone: "UTC" };
    return new Intl.DateTimeFormat(lang + "-u-nu-latn", options).format(moment);
  }

  window.R2pkgWords = { word: word, format: format, number: number, date: date, lang: lang };
})();
