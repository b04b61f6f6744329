// Draws the statistics page's bar charts from the numbers the server embedded (the tables show the same numbers).
(function () {
  "use strict";
  // Heights set through the DOM, not a style attribute, which the Content-Security-Policy does not allow.
  document.querySelectorAll("[data-height-rem]").forEach((box) => {
    box.style.height = box.dataset.heightRem + "rem";
  });
  const source = document.getElementById("stats-data");
  if (!source || !window.Chart) return;
  JSON.parse(source.textContent).forEach((figure) => {
    const canvas = document.getElementById("chart-" + figure.key);
    if (!canvas || !figure.values.length) return;
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: figure.labels,
        datasets: [{ label: figure.value, data: figure.values, backgroundColor: "#2b6cb0" }],
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false }, title: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  });
})();
