// The data-entry grid: keys like a spreadsheet, and refused cells swapped in with their message.
// Each cell saves itself with htmx (hx-post on change); this file only moves the focus.
//   arrows: move (left and right move the caret instead once you click into a number or press F2)
//   Enter / Shift+Enter: down / up      Tab / Shift+Tab: right / left (the browser's own order)
//   Escape: put back the saved value    Alt+↓ on a list: open it
(function () {
  "use strict";

  // htmx does not swap error responses by default; a refused (422) or conflicting (409) cell
  // comes back with its message, which must replace the cell like a saved one.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 409 || status === 422) && event.detail.target.closest(".data-grid")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function inputIn(cell) {
    return cell ? cell.querySelector(".cell-input") : null;
  }

  function vertical(cell, step) {
    var rows = Array.prototype.slice.call(cell.closest("tbody").rows);
    var index = cell.cellIndex;
    for (var i = rows.indexOf(cell.parentElement) + step; i >= 0 && i < rows.length; i += step) {
      var found = inputIn(rows[i].cells[index]);
      if (found) return found;
    }
    return null;
  }

  function horizontal(cell, step) {
    var cells = cell.parentElement.cells;
    for (var i = cell.cellIndex + step; i >= 0 && i < cells.length; i += step) {
      var found = inputIn(cells[i]);
      if (found) return found;
    }
    return null;
  }

  function go(target) {
    if (!target) return;
    target.focus();
    target.dataset.editing = "";
    if (target.select) target.select();
  }

  document.addEventListener("mousedown", function (event) {
    var input = event.target.closest(".data-grid input.cell-input");
    if (input) input.dataset.editing = "1";
  });

  document.addEventListener("focusin", function (event) {
    var input = event.target.closest(".data-grid input.cell-input");
    if (input && !input.dataset.editing && input.select) input.select();
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target.closest(".data-grid .cell-input");
    if (!input || event.ctrlKey || event.metaKey) return;
    var cell = input.closest("td");
    var isText = input.tagName === "INPUT";
    var editing = isText && input.dataset.editing === "1";
    var target = null;
    switch (event.key) {
      case "ArrowUp":
      case "ArrowDown":
        if (event.altKey) return; // Alt+↓ opens a list
        target = vertical(cell, event.key === "ArrowUp" ? -1 : 1);
        break;
      case "ArrowLeft":
      case "ArrowRight":
        if (editing || event.altKey) return;
        target = horizontal(cell, event.key === "ArrowLeft" ? -1 : 1);
        break;
      case "Enter":
        target = vertical(cell, event.shiftKey ? -1 : 1);
        if (!target) {
          // Last row: leave the cell so its value is saved, and stay on it.
          event.preventDefault();
          input.blur();
          input.focus();
          return;
        }
        break;
      case "F2":
        if (isText) {
          input.dataset.editing = "1";
          input.setSelectionRange(input.value.length, input.value.length);
          event.preventDefault();
        }
        return;
      case "Escape":
        if ("saved" in input.dataset) {
          input.value = input.dataset.saved;
          if (input.select) input.select();
          event.preventDefault();
        }
        return;
      default:
        return;
    }
    event.preventDefault();
    go(target);
  });
})();
