/**
 * The error of every model loader. Its message starts with the operation that found the damage
 * (`modelFromOnnx: node "/3/Conv" (Conv) ...`), then says what is wrong and where.
 */

/** A model file that cannot be loaded; the message names the operation and what is wrong with it. */
export class ModelFormatError extends Error {
  /** What is wrong, without the name of the operation that found it. */
  readonly detail: string;
  /** The operation that found the damage: modelFromJSON, modelFromSafetensors, modelFromOnnx, modelFromTfjs, loadModel, loadCheckpoint. */
  readonly op: string;
  constructor(message: string, op = "modelFromJSON") {
    super(`${op}: ${message}`);
    this.name = "ModelFormatError";
    this.detail = message;
    this.op = op;
  }
}

/** A function that makes the error to throw for a message (each loader binds its operation's name). */
export type Fail = (message: string) => Error;

/** `failFor("modelFromOnnx")`: messages become ModelFormatErrors of that operation. */
export function failFor(op: string): (message: string) => ModelFormatError {
  return (message) => new ModelFormatError(message, op);
}

/** The message of anything thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
