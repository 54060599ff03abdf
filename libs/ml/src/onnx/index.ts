export { GraphBuilder, floatAttr, floatsAttr } from './builder';
export type { AttrValue, Attrs, FloatAttr, FloatsAttr, GraphBuilderOptions, Opset } from './builder';
export { makeTensor, makeValueInfo, onnxDataType, elementTypeOf } from './tensor';
export type { Dim, ElementType, TensorData } from './tensor';
export { buildBagClassifier } from './bag-classifier';
export type { BagClassifierWeights } from './bag-classifier';
