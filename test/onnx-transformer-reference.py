"""Independent reference for test/onnx-transformer.test.ts: reads an .onnx file with the `onnx`
package (weights via numpy_helper) and evaluates every node by hand in numpy, in float64, in graph
order. Written from the ONNX operator specs, not from Spikeworks' code.

usage: onnx-transformer-reference.py MODEL.onnx OUTDIR NAME=FEED.npy [NAME=FEED.npy ...]
writes OUTDIR/<k>.npy (float64) per node output and OUTDIR/index.json ([name, file] pairs).
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper


def attrs(node):
    out = {}
    for a in node.attribute:
        if a.type == onnx.AttributeProto.INT:
            out[a.name] = a.i
        elif a.type == onnx.AttributeProto.INTS:
            out[a.name] = list(a.ints)
        elif a.type == onnx.AttributeProto.FLOAT:
            out[a.name] = a.f
    return out


def softmax(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    e = np.exp(x - m)
    return e / np.sum(e, axis=axis, keepdims=True)


def matmul(a, b):
    # Batched matrix product written as an explicit sum over the shared axis (broadcast batch dims).
    return np.sum(a[..., :, :, None] * b[..., None, :, :], axis=-2)


def evaluate(node, xs):
    op, at = node.op_type, attrs(node)
    if op == 'MatMul':
        a, b = xs
        if b.ndim == 2:
            return np.tensordot(a, b, axes=([a.ndim - 1], [0]))
        return matmul(a, b)
    if op == 'Add':
        return xs[0] + xs[1]
    if op == 'Sub':
        return xs[0] - xs[1]
    if op == 'Mul':
        return xs[0] * xs[1]
    if op == 'Sum':
        acc = xs[0]
        for x in xs[1:]:
            acc = acc + x
        return acc
    if op == 'Transpose':
        return np.transpose(xs[0], at.get('perm'))
    if op == 'Softmax':
        return softmax(xs[0], at.get('axis', -1))
    if op == 'Relu':
        return np.where(xs[0] > 0, xs[0], 0.0)
    if op == 'Gather':
        return np.take(xs[0], xs[1].astype(np.int64), axis=at.get('axis', 0))
    if op == 'Cast':
        if at['to'] == onnx.TensorProto.BOOL:
            return xs[0] != 0
        return xs[0].astype(np.float64)
    if op == 'Where':
        return np.where(xs[0], xs[1], xs[2])
    raise SystemExit('operator %s (node %s) is not in the reference' % (op, node.name))


def main():
    model, outdir = sys.argv[1], sys.argv[2]
    m = onnx.load(model)
    values = {}
    for init in m.graph.initializer:
        a = numpy_helper.to_array(init)
        values[init.name] = a.astype(np.float64) if a.dtype == np.float32 else a
    for spec in sys.argv[3:]:
        name, path = spec.split('=', 1)
        values[name] = np.load(path).astype(np.float64)
    os.makedirs(outdir, exist_ok=True)
    index = []
    for node in m.graph.node:
        xs = [values[i] for i in node.input]
        y = evaluate(node, xs)
        out = node.output[0]
        values[out] = y
        f = '%d.npy' % len(index)
        np.save(os.path.join(outdir, f), np.ascontiguousarray(np.asarray(y, dtype=np.float64)))
        index.append([out, f])
    with open(os.path.join(outdir, 'index.json'), 'w') as fh:
        json.dump(index, fh)


main()
