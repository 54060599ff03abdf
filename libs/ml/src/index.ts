// Public surface of @sr/ml: named exports only, grouped by layer.

// ONNX graph building
export {
  GraphBuilder,
  floatAttr,
  floatsAttr,
  makeTensor,
  makeValueInfo,
  onnxDataType,
  buildBagClassifier,
} from './onnx';
export type {
  AttrValue,
  Attrs,
  Dim,
  ElementType,
  FloatAttr,
  FloatsAttr,
  GraphBuilderOptions,
  Opset,
  TensorData,
  BagClassifierWeights,
} from './onnx';
