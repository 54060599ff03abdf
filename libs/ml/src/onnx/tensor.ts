import { onnx } from 'onnx-proto';

/** Element types the builder understands; names follow onnxruntime-node's tensor types. */
export type ElementType = 'float32' | 'float16' | 'int8' | 'uint8' | 'int32' | 'int64' | 'bool';

/** Typed arrays accepted as initializer data (float16 is passed as raw Uint16 bits). */
export type TensorData = Float32Array | Int8Array | Uint8Array | Int32Array | BigInt64Array | Uint16Array;

/** A dimension is a fixed size or a symbolic name such as `batch`. */
export type Dim = number | string;

const DATA_TYPE: Record<ElementType, onnx.TensorProto.DataType> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  int8: onnx.TensorProto.DataType.INT8,
  uint8: onnx.TensorProto.DataType.UINT8,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
};

const BYTES_PER_ELEMENT: Record<ElementType, number> = {
  float32: 4,
  float16: 2,
  int8: 1,
  uint8: 1,
  int32: 4,
  int64: 8,
  bool: 1,
};

export function onnxDataType(type: ElementType): onnx.TensorProto.DataType {
  return DATA_TYPE[type];
}

/** Infers the element type from the typed array (Uint16Array means float16 bits, Uint8Array means uint8). */
export function elementTypeOf(data: TensorData): ElementType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof BigInt64Array) return 'int64';
  return 'float16';
}

/**
 * Builds a TensorProto with its payload in `rawData` (little-endian, as ONNX requires; every
 * platform we run on is little-endian), which keeps large embedding tables compact and fast to load.
 */
export function makeTensor(
  name: string,
  data: TensorData,
  dims: readonly number[],
  type = elementTypeOf(data),
): onnx.TensorProto {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (data.length !== expected) {
    throw new RangeError(
      `tensor ${name}: ${data.length} elements do not fit dims [${dims.join(', ')}] (${expected})`,
    );
  }
  if (data.BYTES_PER_ELEMENT !== BYTES_PER_ELEMENT[type]) {
    throw new TypeError(`tensor ${name}: ${type} needs ${BYTES_PER_ELEMENT[type]} bytes per element`);
  }
  // Copy so later mutation of the caller's array cannot change a saved model.
  const raw = new Uint8Array(data.byteLength);
  raw.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return onnx.TensorProto.create({ name, dims: [...dims], dataType: DATA_TYPE[type], rawData: raw });
}

export function makeValueInfo(name: string, type: ElementType, shape: readonly Dim[]): onnx.ValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType: DATA_TYPE[type],
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
}
