"""An independent forward pass of a small ONNX model in numpy, op by op, written from the ONNX
operator specification (not from Spikeworks' code): Conv (explicit loops over the kernel taps,
zero padding, strides, dilations, group 1), Relu, MaxPool (no padding), Flatten, Gemm, MatMul, Add.
Weights are read with the `onnx` package (numpy_helper.to_array).

usage: reference_forward.py MODEL.onnx INPUTS.npy OUT_DIR [--time]
Writes OUT_DIR/<node name>.npy for every node's first output (float32) and prints one JSON line
{"nodes": [...], "seconds": forward time}.
"""
import json
import sys
import time

import numpy as np
import onnx
from onnx import numpy_helper


def attrs(node):
    out = {}
    for a in node.attribute:
        v = onnx.helper.get_attribute_value(a)
        out[a.name] = v.decode() if isinstance(v, bytes) else v
    return out


def conv(x, w, b, a):
    n, c, h, wd = x.shape
    m, cg, kh, kw = w.shape
    if a.get("group", 1) != 1 or cg != c:
        raise SystemExit("reference: Conv with groups is not written here")
    pads = list(a.get("pads", [0, 0, 0, 0]))
    sh, sw = a.get("strides", [1, 1])
    dh, dw = a.get("dilations", [1, 1])
    xp = np.zeros((n, c, h + pads[0] + pads[2], wd + pads[1] + pads[3]), dtype=np.float64)
    xp[:, :, pads[0]:pads[0] + h, pads[1]:pads[1] + wd] = x
    oh = (xp.shape[2] - dh * (kh - 1) - 1) // sh + 1
    ow = (xp.shape[3] - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((n, m, oh, ow), dtype=np.float64)
    # One kernel tap at a time: y[n, m, i, j] += w[m, c, ky, kx] * xp[n, c, i*sh + ky*dh, j*sw + kx*dw].
    for ky in range(kh):
        for kx in range(kw):
            patch = xp[:, :, ky * dh: ky * dh + sh * (oh - 1) + 1: sh, kx * dw: kx * dw + sw * (ow - 1) + 1: sw]
            y += np.einsum("nchw,mc->nmhw", patch, w[:, :, ky, kx].astype(np.float64))
    if b is not None:
        y += b.astype(np.float64)[None, :, None, None]
    return y


def maxpool(x, a):
    kh, kw = a["kernel_shape"]
    sh, sw = a.get("strides", [1, 1])
    if any(a.get("pads", [0, 0, 0, 0])):
        raise SystemExit("reference: MaxPool with padding is not written here")
    n, c, h, w = x.shape
    oh = (h - kh) // sh + 1
    ow = (w - kw) // sw + 1
    y = np.full((n, c, oh, ow), -np.inf)
    for i in range(oh):
        for j in range(ow):
            y[:, :, i, j] = x[:, :, i * sh:i * sh + kh, j * sw:j * sw + kw].max(axis=(2, 3))
    return y


def gemm(x, b, c, a):
    A = x.T if a.get("transA", 0) else x
    B = b.T if a.get("transB", 0) else b
    y = a.get("alpha", 1.0) * (A @ B.astype(np.float64))
    if c is not None:
        y = y + a.get("beta", 1.0) * c.astype(np.float64)
    return y


def main():
    model_path, inputs_path, out_dir = sys.argv[1:4]
    model = onnx.load(model_path)
    g = model.graph
    vals = {t.name: numpy_helper.to_array(t) for t in g.initializer}
    x = np.load(inputs_path).astype(np.float64)
    first = [i.name for i in g.input if i.name not in vals][0]
    vals[first] = x
    recorded = {}
    t0 = time.perf_counter()
    for k, node in enumerate(g.node):
        a = attrs(node)
        ins = [vals[i] if i else None for i in node.input]
        op = node.op_type
        if op == "Conv":
            y = conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)
        elif op == "Relu":
            y = np.maximum(ins[0], 0)
        elif op == "MaxPool":
            y = maxpool(ins[0], a)
        elif op == "Flatten":
            ax = a.get("axis", 1)
            y = ins[0].reshape(int(np.prod(ins[0].shape[:ax])), -1)
        elif op == "Gemm":
            y = gemm(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)
        elif op == "MatMul":
            y = ins[0] @ ins[1].astype(np.float64)
        elif op == "Add":
            y = ins[0] + ins[1]
        else:
            raise SystemExit(f"reference: operator {op} is not written here")
        vals[node.output[0]] = y
        recorded[node.name or f"{op}_{k}"] = y
    seconds = time.perf_counter() - t0
    if out_dir != "-":
        for name, y in recorded.items():
            np.save(f"{out_dir}/{name}.npy", y.astype(np.float32))
    print(json.dumps({"nodes": list(recorded), "seconds": seconds}))


main()
