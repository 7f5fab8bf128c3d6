/**
 * The drawing pad: a 280 x 280 canvas (ten screen pixels per MNIST pixel) that the learner draws
 * on with a mouse, a pen or a finger (pointer events); after every stroke segment the drawing is
 * preprocessed like MNIST (preprocess.ts) and handed to `onInput`.
 */
import { SIDE, toMnist } from "./preprocess.js";

export const PAD = 280;
const BRUSH = 22;

export class DrawingPad {
  private readonly context: CanvasRenderingContext2D;
  private last: { x: number; y: number } | undefined;
  private queued = false;

  constructor(readonly canvas: HTMLCanvasElement, private readonly onInput: (pixels: Float64Array | null) => void) {
    canvas.width = PAD;
    canvas.height = PAD;
    this.context = canvas.getContext("2d", { willReadFrequently: true })!;
    this.clear();
    canvas.addEventListener("pointerdown", (e) => {
      canvas.setPointerCapture(e.pointerId);
      this.last = this.point(e);
      this.stroke(this.last, this.last);
    });
    canvas.addEventListener("pointermove", (e) => {
      if (!this.last) return;
      const p = this.point(e);
      this.stroke(this.last, p);
      this.last = p;
    });
    const end = () => { this.last = undefined; };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);
    // A finger draws instead of scrolling the page.
    canvas.style.touchAction = "none";
  }

  clear(): void {
    this.context.clearRect(0, 0, PAD, PAD);
    this.onInput(null);
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const r = this.canvas.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * PAD) / r.width, y: ((e.clientY - r.top) * PAD) / r.height };
  }

  private stroke(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const c = this.context;
    c.strokeStyle = "#111827";
    c.lineWidth = BRUSH;
    c.lineCap = "round";
    c.lineJoin = "round";
    c.beginPath();
    c.moveTo(from.x, from.y);
    c.lineTo(to.x, to.y);
    c.stroke();
    this.update();
  }

  /** Preprocesses at most once per frame while drawing. */
  private update(): void {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => {
      this.queued = false;
      const { data } = this.context.getImageData(0, 0, PAD, PAD);
      const ink = new Float32Array(PAD * PAD);
      for (let i = 0; i < ink.length; i++) ink[i] = data[i * 4 + 3]! / 255;
      this.onInput(toMnist(ink, PAD, PAD));
    });
  }
}

/** Paints 784 values in 0..1 (ink dark on white) into a canvas of any size. */
export function paintDigit(canvas: HTMLCanvasElement, pixels: ArrayLike<number> | null): void {
  canvas.width = SIDE;
  canvas.height = SIDE;
  const c = canvas.getContext("2d")!;
  const image = c.createImageData(SIDE, SIDE);
  for (let p = 0; p < SIDE * SIDE; p++) {
    const v = 255 - Math.round(255 * Math.min(1, Math.max(0, pixels ? pixels[p]! : 0)));
    image.data.set([v, v, v, 255], p * 4);
  }
  c.putImageData(image, 0, 0);
}
