/**
 * The code box: a CodeMirror editor holding the model's `sequential(...)` definition, checked by
 * the TypeScript compiler in a worker (checker-worker.ts) as the learner types. Each error is
 * shown under the line it points at, led by the ShapeError text when the compiler's message has
 * one. This module, CodeMirror and the compiler are loaded only when the box is opened.
 */
import { basicSetup, EditorView } from "codemirror";
import { javascript } from "@codemirror/lang-javascript";
import { StateEffect, StateField, type Range } from "@codemirror/state";
import { Decoration, WidgetType, type DecorationSet } from "@codemirror/view";
import type { Diagnostic } from "./checker.js";
import type { CheckerReply } from "./checker-worker.js";
import type { LayerSpec } from "./network.js";

export interface CodeBoxStatus {
  readonly state: "loading" | "checking" | "ok" | "error";
  readonly text: string;
  /** The layers, when the text compiles and describes a network. */
  readonly layers?: LayerSpec[];
}

class ErrorWidget extends WidgetType {
  constructor(private readonly diagnostic: Diagnostic) { super(); }
  override eq(other: ErrorWidget): boolean { return other.diagnostic.message === this.diagnostic.message && other.diagnostic.from === this.diagnostic.from; }
  toDOM(): HTMLElement {
    const box = document.createElement("div");
    box.className = "cm-shape-diagnostic";
    const head = document.createElement("div");
    head.className = this.diagnostic.shapeError ? "shape-error" : "type-error";
    head.textContent = this.diagnostic.shapeError ? `ShapeError: ${this.diagnostic.shapeError}` : this.diagnostic.message.split("\n")[0]!;
    box.append(head);
    if (this.diagnostic.shapeError) {
      const detail = document.createElement("div");
      detail.className = "compiler-detail";
      const first = this.diagnostic.message.split("\n")[0]!;
      detail.textContent = `TypeScript: ${first.length > 150 ? `${first.slice(0, 150)}…` : first}`;
      detail.title = this.diagnostic.message;
      box.append(detail);
    }
    return box;
  }
}

const setDiagnostics = StateEffect.define<Diagnostic[]>();
const underline = Decoration.mark({ class: "cm-error-range" });

const diagnosticsField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, transaction) {
    let next = decorations.map(transaction.changes);
    for (const effect of transaction.effects) {
      if (!effect.is(setDiagnostics)) continue;
      const doc = transaction.state.doc;
      const ranges: Range<Decoration>[] = [];
      for (const d of effect.value) {
        const from = Math.min(d.from, doc.length), to = Math.min(Math.max(d.to, d.from + 1), doc.length);
        if (to > from) ranges.push(underline.range(from, to));
        ranges.push(Decoration.widget({ widget: new ErrorWidget(d), block: true, side: 1 }).range(doc.lineAt(from).to));
      }
      next = Decoration.set(ranges, true);
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export class CodeBox {
  private readonly view: EditorView;
  private readonly checker: Worker;
  private id = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ready = false;

  constructor(parent: HTMLElement, text: string, private readonly onStatus: (status: CodeBoxStatus) => void) {
    this.checker = new Worker(new URL("./checker-worker.ts", import.meta.url), { type: "module" });
    this.checker.addEventListener("message", (e: MessageEvent<CheckerReply>) => this.received(e.data));
    this.view = new EditorView({
      doc: text, parent,
      extensions: [basicSetup, javascript({ typescript: true }), diagnosticsField, EditorView.updateListener.of((u) => { if (u.docChanged) this.schedule(); })],
    });
    this.onStatus({ state: "loading", text: "loading the TypeScript compiler…" });
  }

  get text(): string {
    return this.view.state.doc.toString();
  }

  /** Replaces the text (the chooser changed the network). */
  set(text: string): void {
    if (text === this.text) return;
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), 150);
  }

  private check(): void {
    if (!this.ready) return;
    this.onStatus({ state: "checking", text: "checking…" });
    this.checker.postMessage({ id: ++this.id, code: this.text });
  }

  private received(reply: CheckerReply): void {
    if (reply.type === "ready") {
      this.ready = true;
      this.version = reply.version;
      this.check();
      return;
    }
    if (reply.id !== this.id) return;
    this.view.dispatch({ effects: setDiagnostics.of(reply.diagnostics) });
    const took = `TypeScript ${this.version}, ${Math.round(reply.ms)} ms`;
    const n = reply.diagnostics.length;
    if (n) this.onStatus({ state: "error", text: `✗ does not compile: ${n} error${n > 1 ? "s" : ""} (${took})` });
    else if (reply.applyError) this.onStatus({ state: "error", text: `compiles, but Apply cannot build it: ${reply.applyError}` });
    else this.onStatus({ state: "ok", text: `✓ compiles (${took})`, ...(reply.layers ? { layers: reply.layers } : {}) });
  }

  private version = "";
}
