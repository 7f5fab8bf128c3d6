/** Every numbered example runs (briefly), and says what it should. */
import { describe, expect, it } from "vitest";
import { main as matrices } from "../examples/01-matrices.js";
import { main as shapeErrors } from "../examples/02-shape-errors.js";
import { main as forwardPass } from "../examples/03-forward.js";
import { main as backpropByHand } from "../examples/04-backprop-by-hand.js";
import { main as trainXor } from "../examples/05-train-xor.js";
import { main as mnist } from "../examples/06-mnist.js";
import { main as cnn } from "../examples/07-cnn.js";

function collect() {
  const lines: string[] = [];
  return { lines, log: (...args: unknown[]) => lines.push(args.map(String).join(" ")) };
}

describe("examples", () => {
  it("01-matrices computes z = W x + b", () => {
    const { lines, log } = collect();
    matrices(log);
    expect(lines[0]).toBe("z = W x + b = -1.5,3.5");
  });
  it("02-shape-errors throws each compile-time message at run time too", () => {
    const { lines, log } = collect();
    shapeErrors(log);
    const text = lines.join("\n");
    expect(text).not.toContain("no error?");
    expect(text).toContain("ShapeError: matmul expects b.rows = a.cols = 4, got 3x4 times 5x5");
    expect(text).toContain("ShapeError: sequential layer 3 expects 127 inputs but layer 1 outputs 128");
    expect(text).toContain("ShapeError: predict expects x with 784 rows (one column per example), got 783x32");
  });
  it("03-forward prints z^l and a^l", () => {
    const { lines, log } = collect();
    forwardPass(log);
    expect(lines.map((l) => l.split(" ")[0])).toEqual(["a^0", "z^1", "a^1", "z^2", "a^2"]);
  });
  it("04-backprop-by-hand agrees with the library and lowers the loss", () => {
    const { lines, log } = collect();
    expect(backpropByHand(log)).toBeLessThan(1e-15);
    const loss = (l: string) => Number(/loss (\d\.\d+)/.exec(l)![1]);
    expect(loss(lines.at(-1)!)).toBeLessThan(loss(lines.at(-2)!));
  });
  it("05-train-xor solves XOR with every optimizer", () => {
    expect(trainXor(() => {})).toEqual([1, 1, 1]);
  });
  it("06-mnist learns real digits (a short run)", () => {
    const { lines, log } = collect();
    expect(mnist(log, 40, 2)).toBeGreaterThan(0.6);
    expect(lines[0]).toMatch(/^layer {2}kind {3}activation {2}input/);
  });
  it("07-cnn throws each compile-time message at run time too, and learns real digits (a short run)", () => {
    const { lines, log } = collect();
    expect(cnn(log, 40, 2)).toBeGreaterThan(0.5);
    const text = lines.join("\n");
    expect(text).not.toContain("no error?");
    for (const message of [
      "sequential layer 8 conv2d expects a kernel no larger than its input 4x4, got 5x5",
      "sequential layer 2 conv2d expects a kernel no larger than its input 5x5 (padded by 1), got 6x6",
      "sequential layer 9 expects 575 inputs but layer 8 outputs 576",
      "sequential layer 3 conv2d expects an image input [channels, height, width], but layer 2 outputs 784",
      "sequential layer 4 dense expects a flat input (put flatten() before it), but layer 2 outputs 8x24x24",
      "sequential layer 8 maxPool2d expects a window no larger than its input 4x4, got 5x5",
    ]) expect(text).toContain(`ShapeError: ${message}`);
    expect(text).toMatch(/1 {6}conv2d {5}relu {8}1x28x28 {3}8x24x24/);
  }, 60_000);
});
