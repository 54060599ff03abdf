import { writeFile } from 'node:fs/promises';
import { onnx } from 'onnx-proto';
import { makeTensor, makeValueInfo, onnxDataType } from './tensor';
import type { Dim, ElementType, TensorData } from './tensor';

/** A float attribute (plain numbers are int attributes, which is what most ONNX ops want). */
export interface FloatAttr {
  readonly kind: 'float';
  readonly value: number;
}
/** A list-of-floats attribute. */
export interface FloatsAttr {
  readonly kind: 'floats';
  readonly value: readonly number[];
}
export type AttrValue = number | readonly number[] | string | FloatAttr | FloatsAttr;
export type Attrs = Readonly<Record<string, AttrValue>>;

export const floatAttr = (value: number): FloatAttr => ({ kind: 'float', value });
export const floatsAttr = (value: readonly number[]): FloatsAttr => ({ kind: 'floats', value });

/** Opsets we build for: both load in onnxruntime-node 1.30. */
export type Opset = 13 | 18;

export interface GraphBuilderOptions {
  /** Graph name, stored in the model. */
  readonly name: string;
  /** Default 18. Reduce ops take `axes` as an input from 18 on; the helpers hide the difference. */
  readonly opset?: Opset;
  readonly producer?: string;
  readonly docString?: string;
}

function toAttribute(name: string, value: AttrValue): onnx.AttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') {
    if (!Number.isInteger(value))
      throw new TypeError(`attribute ${name}: ${value} is not an integer; wrap floats in floatAttr()`);
    return onnx.AttributeProto.create({ name, type: T.INT, i: value });
  }
  if (typeof value === 'string')
    return onnx.AttributeProto.create({ name, type: T.STRING, s: Buffer.from(value, 'utf8') });
  if (Array.isArray(value))
    return onnx.AttributeProto.create({ name, type: T.INTS, ints: [...(value as number[])] });
  const v = value as FloatAttr | FloatsAttr;
  if (v.kind === 'float') return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v.value });
  return onnx.AttributeProto.create({ name, type: T.FLOATS, floats: [...v.value] });
}

/**
 * Builds an ONNX ModelProto from TypeScript. Each op helper returns the name of its output
 * value, so graphs read like expressions:
 *
 *   const g = new GraphBuilder({ name: 'clf' });
 *   const ids = g.input('ids', 'int64', ['batch', 'len']);
 *   const emb = g.gather(g.initializer('E', table, [rows, dim]), ids);
 *   g.output(g.softmax(g.add(g.matMul(g.maskedMean(emb, mask), w), b)), 'probs', 'float32', ['batch', n]);
 */
export class GraphBuilder {
  readonly opset: Opset;
  private readonly nodes: onnx.NodeProto[] = [];
  private readonly initializers: onnx.TensorProto[] = [];
  private readonly inputs: onnx.ValueInfoProto[] = [];
  private readonly outputs: onnx.ValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(private readonly options: GraphBuilderOptions) {
    this.opset = options.opset ?? 18;
  }

  /** A fresh value name with a readable prefix. */
  fresh(prefix: string): string {
    let name: string;
    do name = `${prefix}_${this.counter++}`;
    while (this.names.has(name));
    this.names.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.names.has(name))
      throw new Error(`value name ${name} is already used in graph ${this.options.name}`);
    this.names.add(name);
    return name;
  }

  /** Declares a graph input. */
  input(name: string, type: ElementType, shape: readonly Dim[]): string {
    this.inputs.push(makeValueInfo(this.claim(name), type, shape));
    return name;
  }

  /**
   * Declares a graph output. When `value` differs from `name`, an Identity node renames it, so
   * callers can keep using generated names inside the graph.
   */
  output(value: string, name: string, type: ElementType, shape: readonly Dim[]): string {
    if (value !== name)
      this.nodes.push(
        onnx.NodeProto.create({
          opType: 'Identity',
          input: [value],
          output: [this.claim(name)],
          name: `out_${name}`,
        }),
      );
    this.outputs.push(makeValueInfo(name, type, shape));
    return name;
  }

  /** Adds a weight tensor (stored as raw bytes). */
  initializer(name: string, data: TensorData, dims: readonly number[], type?: ElementType): string {
    this.initializers.push(makeTensor(this.claim(name), data, dims, type));
    return name;
  }

  /** A 1-D int64 constant, e.g. axes or shapes. */
  int64s(values: readonly number[], name = this.fresh('i64')): string {
    if (!this.names.has(name)) this.names.add(name);
    this.initializers.push(
      makeTensor(name, BigInt64Array.from(values.map(BigInt)), [values.length], 'int64'),
    );
    return name;
  }

  /** A scalar float32 constant. */
  scalar(value: number, name = this.fresh('c')): string {
    if (!this.names.has(name)) this.names.add(name);
    this.initializers.push(makeTensor(name, Float32Array.of(value), [], 'float32'));
    return name;
  }

  /** Adds a node with any number of outputs; returns the output names. */
  node(
    opType: string,
    inputs: readonly string[],
    attrs: Attrs = {},
    outputs: number | readonly string[] = 1,
  ): string[] {
    const outNames =
      typeof outputs === 'number'
        ? Array.from({ length: outputs }, () => this.fresh(opType.toLowerCase()))
        : outputs.map((o) => this.claim(o));
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        input: [...inputs],
        output: outNames,
        name: `${opType}_${this.nodes.length}`,
        attribute: Object.entries(attrs).map(([k, v]) => toAttribute(k, v)),
      }),
    );
    return outNames;
  }

  /** Adds a single-output node; returns its output name. */
  op(opType: string, inputs: readonly string[], attrs: Attrs = {}): string {
    const [out] = this.node(opType, inputs, attrs, 1);
    return out as string;
  }

  gather(data: string, indices: string, axis = 0): string {
    return this.op('Gather', [data, indices], { axis });
  }
  matMul(a: string, b: string): string {
    return this.op('MatMul', [a, b]);
  }
  add(a: string, b: string): string {
    return this.op('Add', [a, b]);
  }
  sub(a: string, b: string): string {
    return this.op('Sub', [a, b]);
  }
  mul(a: string, b: string): string {
    return this.op('Mul', [a, b]);
  }
  div(a: string, b: string): string {
    return this.op('Div', [a, b]);
  }
  max(a: string, b: string): string {
    return this.op('Max', [a, b]);
  }
  sqrt(x: string): string {
    return this.op('Sqrt', [x]);
  }
  relu(x: string): string {
    return this.op('Relu', [x]);
  }
  tanh(x: string): string {
    return this.op('Tanh', [x]);
  }
  sigmoid(x: string): string {
    return this.op('Sigmoid', [x]);
  }
  softmax(x: string, axis = -1): string {
    return this.op('Softmax', [x], { axis });
  }
  cast(x: string, to: ElementType): string {
    return this.op('Cast', [x], { to: onnxDataType(to) });
  }
  transpose(x: string, perm: readonly number[]): string {
    return this.op('Transpose', [x], { perm });
  }
  reshape(x: string, shape: readonly number[]): string {
    return this.op('Reshape', [x, this.int64s(shape)]);
  }
  unsqueeze(x: string, axes: readonly number[]): string {
    return this.op('Unsqueeze', [x, this.int64s(axes)]);
  }
  squeeze(x: string, axes: readonly number[]): string {
    return this.op('Squeeze', [x, this.int64s(axes)]);
  }
  argMax(x: string, axis = -1, keepdims = 0): string {
    return this.op('ArgMax', [x], { axis, keepdims });
  }

  /** Reduce op (ReduceSum, ReduceMean, ReduceMax, …) with `axes` handled per opset. */
  reduce(
    opType: 'ReduceSum' | 'ReduceMean' | 'ReduceMax' | 'ReduceMin' | 'ReduceL2' | 'ReduceSumSquare',
    x: string,
    axes: readonly number[],
    keepdims = false,
  ): string {
    // ReduceSum moved axes to an input in opset 13, the others in opset 18.
    if (opType === 'ReduceSum' || this.opset >= 18)
      return this.op(opType, [x, this.int64s(axes)], { keepdims: keepdims ? 1 : 0 });
    return this.op(opType, [x], { axes, keepdims: keepdims ? 1 : 0 });
  }
  reduceSum(x: string, axes: readonly number[], keepdims = false): string {
    return this.reduce('ReduceSum', x, axes, keepdims);
  }
  reduceMean(x: string, axes: readonly number[], keepdims = false): string {
    return this.reduce('ReduceMean', x, axes, keepdims);
  }

  /**
   * EmbeddingBag-style pooling: `emb` is [batch, len, dim], `mask` [batch, len] float (1 = token,
   * 0 = padding, or any per-token weight). Returns the masked sum, or the mean when `mean` is set
   * (divided by the mask total, floored at `minCount` so an empty row gives zeros, not NaN).
   */
  maskedPool(emb: string, mask: string, mean = true, minCount = 1): string {
    const summed = this.weightedSum(emb, mask);
    if (!mean) return summed;
    const count = this.max(this.reduceSum(mask, [1], true), this.scalar(minCount));
    return this.div(summed, count);
  }

  /**
   * Σₗ w[b,l]·emb[b,l,:] → [batch, dim], as one batched MatMul ([b,1,l] × [b,l,d]). This is about
   * twice as fast in onnxruntime as broadcasting a Mul over [b,l,d] and reducing it, and lets
   * callers fold per-row factors (int8 scales) into `w` instead of into every element.
   */
  weightedSum(emb: string, weights: string): string {
    return this.squeeze(this.matMul(this.unsqueeze(weights, [1]), emb), [1]);
  }

  /** Divides by the L2 norm along `axis` (epsilon keeps all-zero rows finite). */
  l2Normalize(x: string, axis = -1, eps = 1e-12): string {
    const norm = this.sqrt(this.max(this.reduce('ReduceSumSquare', x, [axis], true), this.scalar(eps)));
    return this.div(x, norm);
  }

  /** `x @ w + b`. */
  linear(x: string, w: string, b?: string): string {
    const y = this.matMul(x, w);
    return b === undefined ? y : this.add(y, b);
  }

  /** The ModelProto (IR 8, default domain at the chosen opset). */
  build(metadata: Readonly<Record<string, string>> = {}): onnx.ModelProto {
    if (this.outputs.length === 0) throw new Error(`graph ${this.options.name} has no outputs`);
    return onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: '', version: this.opset }],
      producerName: this.options.producer ?? '@sr/ml',
      producerVersion: '0.1.0',
      docString: this.options.docString ?? '',
      metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      graph: {
        name: this.options.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
  }

  /** Serialised model bytes, ready for `InferenceSession.create(bytes)`. */
  toBytes(metadata?: Readonly<Record<string, string>>): Uint8Array {
    return onnx.ModelProto.encode(this.build(metadata)).finish();
  }

  /** Writes the model to `path` (e.g. `<dir>/model.onnx`). */
  async save(path: string, metadata?: Readonly<Record<string, string>>): Promise<number> {
    const bytes = this.toBytes(metadata);
    await writeFile(path, bytes);
    return bytes.byteLength;
  }
}
