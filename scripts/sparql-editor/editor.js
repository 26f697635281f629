// The SPARQL page's editor: CodeMirror 6 with SPARQL highlighting and completion of
// prefixes and vocabulary terms. Bundled by esbuild into web/static/vendor/codemirror/
// (see README.md); web/static/sparql.js loads it and falls back to the plain textarea.
import { EditorState } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  StreamLanguage, syntaxHighlighting, syntaxTree, bracketMatching, indentOnInput,
} from "@codemirror/language";
import { autocompletion, completionKeymap, closeBrackets } from "@codemirror/autocomplete";
import { classHighlighter } from "@lezer/highlight";
import { sparql } from "@codemirror/legacy-modes/mode/sparql";

// A prefixed name being typed: "cop:Comm", "co" (a prefix on its way), or "cop:".
const PNAME = /[A-Za-z][\w.-]*:[\w.-]*$|[A-Za-z][\w.-]*$/;

// Completion offers the known prefixes (declared in the query or predeclared by the site)
// and, after "prefix:", the terms the site knows for that prefix, with their labels.
function completer(prefixes, terms) {
  return (context) => {
    const inside = syntaxTree(context.state).resolveInner(context.pos, -1).name;
    if (/comment|string/.test(inside)) return null; // no completion in comments or strings
    const word = context.matchBefore(PNAME);
    if (!word || (word.from === word.to && !context.explicit)) return null;
    const colon = word.text.indexOf(":");
    if (colon === -1) {
      const options = Object.keys(prefixes()).map((name) => ({
        label: name + ":", type: "namespace", detail: prefixes()[name],
      }));
      return { from: word.from, options, validFor: /^[\w.-]*$/ };
    }
    const prefix = word.text.slice(0, colon);
    const options = terms()
      .filter((t) => t.prefix === prefix)
      .map((t) => ({
        label: prefix + ":" + t.local, detail: t.label || "",
        type: t.kind === "class" ? "class" : t.kind === "property" ? "property" : "constant",
        // classes first, then properties, then individuals: "cop:Comm" offers the class
        boost: t.kind === "class" ? 2 : t.kind === "property" ? 1 : 0,
      }));
    return options.length ? { from: word.from, options, validFor: /^[\w.:-]*$/ } : null;
  };
}

// Make an editor in place of `textarea` (kept, hidden, and updated on every change so the
// form still submits it). `options`: nonce (the page's CSP style nonce), label (the id of
// the label element), run (Ctrl+Enter), prefixes() and terms() (current lists).
export function createEditor(textarea, options) {
  const sync = EditorView.updateListener.of((update) => {
    if (update.docChanged) textarea.value = update.state.doc.toString();
  });
  const run = { key: "Mod-Enter", run: () => { options.run(); return true; } };
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        EditorView.cspNonce.of(options.nonce || ""),
        lineNumbers(), history(), drawSelection(), highlightActiveLine(),
        indentOnInput(), bracketMatching(), closeBrackets(),
        StreamLanguage.define(sparql),
        syntaxHighlighting(classHighlighter),
        autocompletion({ override: [completer(options.prefixes, options.terms)] }),
        keymap.of([run, ...completionKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({
          "aria-labelledby": options.label, "aria-multiline": "true", spellcheck: "false",
          autocapitalize: "off", autocorrect: "off",
        }),
        sync,
      ],
    }),
  });
  textarea.hidden = true;
  textarea.parentNode.insertBefore(view.dom, textarea.nextSibling);
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    focus: () => view.focus(),
  };
}
