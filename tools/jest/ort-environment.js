// Jest runs tests in a vm sandbox with its own typed-array constructors; onnxruntime-node
// checks `data instanceof Float32Array` against the host realm and rejects sandbox arrays.
// This environment hands the host's constructors to the sandbox so real ONNX models run in tests.
const { TestEnvironment } = require('jest-environment-node');

const HOST_CONSTRUCTORS = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of HOST_CONSTRUCTORS) this.global[name] = globalThis[name];
  }
}

module.exports = OrtEnvironment;
