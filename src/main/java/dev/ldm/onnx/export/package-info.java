/**
 * Writing ONNX models without a protobuf dependency: a wire-format writer ({@link
 * dev.ldm.onnx.export.ProtoWriter}), a graph builder ({@link dev.ldm.onnx.export.OnnxGraph}) and
 * model writer (IR 8, opset 17), the operators ldm's networks use ({@link dev.ldm.onnx.export.OnnxOps}),
 * and {@link dev.ldm.onnx.export.ModuleGraph}, which lets {@link dev.ldm.nn.Module} trees emit
 * themselves with their parameter names. Knows nothing about any particular model.
 */
package dev.ldm.onnx.export;
