// The data-entry grid (indicators/templates/indicators/grid.html).
//
// The page writes each cell compactly — its value and version only (<td><input value="12" data-v="3">) —
// and says once, on the column header and on the row, what its cells share (grid_tags.py). This file:
//  - gives every cell its ids, name and label when the page loads, before keepedits.js starts
//    (this script is deferred: it runs once the page is parsed, before DOMContentLoaded);
//  - saves a cell through one handler on the table: on change, an htmx POST to
//    <grid>/cell/<row>/<element>/ with the value and the version the cell was read at;
//    the answer replaces the cell (a refusal 422 or a conflict 409 too, with its message);
//  - puts the warning marks of a saved row in their cells, and fills a select's options when used;
//  - moves the focus like a spreadsheet:
//      arrows: move (left and right move the caret instead once you click into a number or press F2)
//      Enter / Shift+Enter: down / up      Tab / Shift+Tab: right / left (the browser's own order)
//      Escape: put back the saved value    Alt+↓ on a list: open it
//  - collapses groups of columns (remembered in localStorage);
//  - on a narrow screen shows one base union at a time, as a form with previous / next.
(function () {
  "use strict";

  var COLLAPSED = "unionportal.grid.collapsed.v1";
  var NARROW = window.matchMedia("(max-width: 575.98px)");

  // --- the cells: ids, name, label ------------------------------------------------------------

  function columnsOf(table) {
    if (table._columns) return table._columns;
    var columns = [null];
    if (table.tHead) {
      var heads = table.tHead.rows[table.tHead.rows.length - 1].cells;
      for (var i = 1; i < heads.length; i++) {
        var th = heads[i];
        columns.push({
          code: th.getAttribute("data-e"),
          id: th.getAttribute("data-id"),
          kind: th.getAttribute("data-k"),
          group: th.getAttribute("data-g"),
          head: th,
        });
      }
    }
    table._columns = columns;
    return columns;
  }

  function hydrateCell(td, column, rowId) {
    if (!column) return;
    if (td.classList.contains("na")) {
      td.className = "cell cell-na g-" + column.group;
      return;
    }
    if (!td.id) td.id = "cell-" + rowId + "-" + column.id;
    td.classList.add("cell", "cell-" + column.kind, "g-" + column.group);
    var field = td.firstElementChild;
    if (!field || (field.tagName !== "INPUT" && field.tagName !== "SELECT") || field.id) return;
    field.id = "v-" + rowId + "-" + column.id;
    field.name = "value";
    field.className = "cell-input";
    field.setAttribute("aria-labelledby", "n-" + column.id + " r-" + rowId);
    field.setAttribute("data-saved", field.value);
    // Written only when unusual (grid_tags.py): a filled cell is at version 1, an empty one at 0.
    if (!field.hasAttribute("data-v")) field.setAttribute("data-v", field.value ? "1" : "0");
    if (field.tagName === "INPUT") {
      field.inputMode = "decimal";
      field.autocomplete = "off";
    }
  }

  function hydrate(table) {
    var columns = columnsOf(table);
    var rows = table.tBodies[0] ? table.tBodies[0].rows : [];
    for (var r = 0; r < rows.length; r++) {
      var rowId = rows[r].getAttribute("data-id");
      var cells = rows[r].cells;
      for (var c = 1; c < cells.length; c++) hydrateCell(cells[c], columns[c], rowId);
    }
  }

  // A select holds only its current option until it is used: the column's options, written once.
  function fill(select) {
    if (!select || select.tagName !== "SELECT" || select.hasAttribute("data-full")) return;
    var table = select.closest("table");
    if (!table) return; // a cell replaced by a save since the list was taken
    var column = columnsOf(table)[select.closest("td").cellIndex];
    var options = column && column.head.querySelector("template");
    select.setAttribute("data-full", "");
    if (!options) return;
    var current = select.value;
    select.innerHTML = options.innerHTML;
    select.value = current;
  }

  // The others in the background, for a script that picks an option without a click. Filled
  // selects are laid out again (about 0.3 ms each), so they wait a moment after the page has
  // loaded and go only while the browser is idle, never past its deadline: typing
  // in the first seconds, or leaving the page at once, never waits behind them.
  var QUIET_MS = 1500;

  function fillAll(table) {
    var later =
      window.requestIdleCallback ||
      function (f) {
        return setTimeout(function () {
          f({ timeRemaining: function () { return 8; } });
        }, 200);
      };
    var waiting = null;
    var at = 0;
    var step = function (deadline) {
      if (!waiting) waiting = table.querySelectorAll("select.cell-input:not([data-full])");
      while (at < waiting.length && deadline.timeRemaining() > 2) fill(waiting[at++]);
      if (at < waiting.length) later(step);
    };
    window.addEventListener("load", function () {
      setTimeout(function () {
        later(step);
      }, QUIET_MS);
    });
  }

  // --- saving: one handler for the whole table ---------------------------------------------------

  function save(field) {
    var td = field.closest("td");
    var row = td.closest("tr");
    var table = td.closest("table");
    var element = row.getAttribute("data-e") || columnsOf(table)[td.cellIndex].code;
    var url = table.getAttribute("data-cell-base") + encodeURIComponent(row.getAttribute("data-r")) + "/" + element + "/";
    window.htmx
      .ajax("POST", url, {
        source: field,
        target: td,
        swap: "outerHTML",
        values: { version: field.getAttribute("data-v") || "0" },
      })
      .catch(function () {
        // A request that did not go through is keepedits.js's to keep and send again.
      });
  }

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.classList && field.classList.contains("cell-input") && field.closest("table[data-cell-base]")) {
      save(field);
    }
  });

  // htmx does not swap error responses by default; a refused (422) or conflicting (409) cell
  // comes back with its message, which must replace the cell like a saved one.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if ((status === 409 || status === 422) && event.detail.target.closest(".data-grid")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // A row's warning marks come with each save (in a <template> of the row's mark, swapped out of
  // band, by htmx or by keepedits.js's replay): each mark goes into its cell, the others are cleared.
  function applyMarks(template) {
    var rowId = template.getAttribute("data-marks");
    document.querySelectorAll('td[id^="cell-' + rowId + '-"] > .cell-warning').forEach(function (old) {
      old.remove();
    });
    Array.prototype.forEach.call(template.content.querySelectorAll("[data-e]"), function (mark) {
      var td = document.getElementById("cell-" + rowId + "-" + mark.getAttribute("data-e"));
      var shown = mark.querySelector(".cell-warning");
      if (td && shown) {
        var message = td.querySelector(".cell-message");
        td.insertBefore(shown.cloneNode(true), message);
      }
    });
  }

  function watch(root) {
    new MutationObserver(function (records) {
      var marks = [];
      records.forEach(function (record) {
        Array.prototype.forEach.call(record.addedNodes, function (node) {
          if (node.nodeType !== 1 || node.tagName === "OPTION") return;
          if (node.tagName === "TD") {
            var table = node.closest("table");
            var row = node.parentElement;
            if (table && row && row.hasAttribute("data-id")) {
              hydrateCell(node, columnsOf(table)[node.cellIndex], row.getAttribute("data-id"));
              if (table.classList.contains("one-row")) labelRow(row);
            }
          }
          if (node.matches("template[data-marks]")) marks.push(node);
          Array.prototype.forEach.call(node.querySelectorAll("template[data-marks]"), function (t) {
            marks.push(t);
          });
        });
      });
      marks.forEach(applyMarks);
    }).observe(root, { childList: true, subtree: true });
  }

  // --- keys --------------------------------------------------------------------------------------

  function inputIn(cell) {
    if (!cell || cell.offsetParent === null) return null; // a collapsed column, a row not shown
    return cell.querySelector(".cell-input");
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
    var field = event.target.closest(".data-grid .cell-input");
    if (!field) return;
    if (field.tagName === "SELECT") fill(field);
    else field.dataset.editing = "1";
  });

  document.addEventListener("focusin", function (event) {
    var field = event.target.closest(".data-grid .cell-input");
    if (!field) return;
    if (field.tagName === "SELECT") fill(field);
    else if (!field.dataset.editing && field.select) field.select();
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target.closest(".data-grid .cell-input");
    if (!input || event.ctrlKey || event.metaKey) return;
    if (input.closest(".one-row")) return; // a form on a phone: the browser's own keys
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

  // --- groups of columns -------------------------------------------------------------------------

  function collapsed() {
    try {
      var list = JSON.parse(localStorage.getItem(COLLAPSED));
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  }

  function showGroups(table) {
    var hidden = collapsed();
    document.querySelectorAll("[data-grid-group]").forEach(function (button) {
      var key = button.getAttribute("data-grid-group");
      var isHidden = hidden.indexOf(key) !== -1;
      table.classList.toggle("hide-g-" + key, isHidden);
      button.setAttribute("aria-expanded", isHidden ? "false" : "true");
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-grid-group]");
    var table = document.getElementById("data-grid");
    if (!button || !table) return;
    var key = button.getAttribute("data-grid-group");
    var hidden = collapsed().filter(function (k) {
      return k !== key;
    });
    if (button.getAttribute("aria-expanded") === "true") hidden.push(key);
    try {
      localStorage.setItem(COLLAPSED, JSON.stringify(hidden));
    } catch (e) {
      // Not remembered, but collapsed all the same.
    }
    showGroups(table);
  });

  // --- one base union at a time, on a phone ----------------------------------------------------------

  function labelRow(row) {
    var columns = columnsOf(row.closest("table"));
    for (var c = 1; c < row.cells.length; c++) {
      var td = row.cells[c];
      if (!td.querySelector(".cell-label") && columns[c]) {
        var label = document.createElement("span");
        label.className = "cell-label";
        label.setAttribute("aria-hidden", "true"); // the field's own label says it to a screen reader
        label.textContent = columns[c].head.querySelector(".col-name").textContent;
        td.insertBefore(label, td.firstChild);
      }
    }
  }

  function stepTo(table, index, focus) {
    var rows = table.tBodies[0].rows;
    index = Math.max(0, Math.min(rows.length - 1, index));
    Array.prototype.forEach.call(rows, function (row, i) {
      row.classList.toggle("is-current", i === index);
    });
    labelRow(rows[index]);
    table._current = index;
    try {
      sessionStorage.setItem("unionportal.grid.row." + location.pathname + location.search, String(index));
    } catch (e) {
      // The first row next time.
    }
    var nav = document.querySelector(".grid-steps");
    nav.querySelector(".grid-step-at").textContent =
      index + 1 + " / " + rows.length + " · " + rows[index].querySelector(".row-head").firstChild.nextSibling.textContent;
    nav.querySelector('[data-grid-step="-1"]').disabled = index === 0;
    nav.querySelector('[data-grid-step="1"]').disabled = index === rows.length - 1;
    if (focus) {
      var first = rows[index].querySelector(".cell-input");
      if (first) first.focus();
    }
  }

  function oneRow(table) {
    var nav = document.querySelector(".grid-steps");
    if (!nav || !table.tBodies[0] || !table.tBodies[0].rows.length) return;
    var narrow = NARROW.matches;
    table.classList.toggle("one-row", narrow);
    nav.hidden = !narrow;
    if (!narrow) return;
    var saved = 0;
    try {
      saved = parseInt(sessionStorage.getItem("unionportal.grid.row." + location.pathname + location.search), 10) || 0;
    } catch (e) {
      saved = 0;
    }
    stepTo(table, table._current === undefined ? saved : table._current, false);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-grid-step]");
    var table = document.getElementById("data-grid");
    if (!button || !table) return;
    stepTo(table, (table._current || 0) + parseInt(button.getAttribute("data-grid-step"), 10), true);
  });

  // --- on loading ----------------------------------------------------------------------------------

  // The rows below the first screen wait as the text of <script type="text/html" id="grid-rest">
  // (grid.html), which the browser does not parse into elements: they are parsed and join the
  // table once the first ones are on screen, and the grid says so (data-ready, "grid:complete"),
  // for keepedits.js to put back what was typed in any row.
  function addRest(table) {
    var rest = document.getElementById("grid-rest");
    if (rest) {
      var parsed = document.createElement("template");
      parsed.innerHTML = "<table><tbody>" + rest.textContent + "</tbody></table>";
      var body = parsed.content.querySelector("tbody");
      if (body) table.tBodies[0].append.apply(table.tBodies[0], Array.prototype.slice.call(body.rows));
      rest.remove();
      hydrate(table);
      oneRow(table);
    }
    table.setAttribute("data-ready", "");
    document.dispatchEvent(new CustomEvent("grid:complete"));
  }

  document.querySelectorAll("table.data-grid[data-cell-base]").forEach(function (table) {
    hydrate(table);
    fillAll(table);
  });
  var grid = document.getElementById("data-grid");
  if (grid) {
    // On a phone the grid shows one row at a time, any of them: every row at once.
    if (NARROW.matches) addRest(grid);
    showGroups(grid);
    oneRow(grid);
    NARROW.addEventListener("change", function () {
      oneRow(grid);
    });
    if (!grid.hasAttribute("data-ready")) {
      requestAnimationFrame(function () {
        setTimeout(function () {
          addRest(grid);
        }, 0);
      });
    }
  }
  var main = document.querySelector("main");
  if (main) watch(main);
})();
