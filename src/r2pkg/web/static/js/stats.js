// Draws the statistics page's bar charts from the numbers the server embedded (the tables show the same numbers).
(function () {
  "use strict";
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
