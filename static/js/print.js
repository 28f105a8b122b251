// Progressive enhancement: reveal "Print" links (hidden without JavaScript) and make them print.
document.querySelectorAll("[data-print]").forEach(function (link) {
  link.hidden = false;
  link.addEventListener("click", function (event) {
    event.preventDefault();
    window.print();
  });
});
