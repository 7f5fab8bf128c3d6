/**
 * The ONNX schema, compiled to JavaScript by protobufjs (the `onnx-proto` package: static code on
 * `protobufjs/minimal`, no Node module, no eval of a .proto at run time). Both the exporter and the
 * importer reach it through this file.
 */
import onnxProto from "onnx-proto";
import type { onnx as OnnxTypes } from "onnx-proto";

export const onnx = onnxProto.onnx;
export type { OnnxTypes };

/** TensorProto element types (onnx.proto's TensorProto.DataType). */
export const DataType = onnx.TensorProto.DataType;
/** AttributeProto types. */
export const AttributeType = onnx.AttributeProto.AttributeType;

/**
 * An int64 field as a number. protobufjs decodes int64 to a `Long` object when the `long` package
 * is installed (Node) and to a plain number otherwise (a browser bundle); both arrive here.
 */
export function int64(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === "number" ? v : v.toNumber();
}
