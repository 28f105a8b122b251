// Cite by selecting: a passage selected in the source's text fills the "Cite a passage" form.
// Without JavaScript the same form is filled by a sentence's "Cite" link.
(function () {
  "use strict";
  var text = document.getElementById("source-text");
  var excerpt = document.getElementById("id_excerpt");
  if (!text || !excerpt) return;
  function selectedPassage() {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return "";
    var range = selection.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer)) return "";
    // Leave out the citation numbers and the links each sentence carries.
    var copy = range.cloneContents();
    copy.querySelectorAll(".cite-ref, .sentence-actions, .visually-hidden").forEach(function (node) { node.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }
  document.addEventListener("selectionchange", function () {
    var passage = selectedPassage();
    if (passage) excerpt.value = passage;
  });
})();
