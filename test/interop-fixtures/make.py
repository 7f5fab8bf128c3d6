"""Writes the torch.onnx.export fixtures of test/interop-onnx.test.ts (run once, by hand: CI has no Python).

    /usr/bin/python3 test/interop-fixtures/make.py     # Debian's python3-torch (1.13) and python3-onnx

Each model is an nn.Sequential with seeded weights, exported with a dynamic batch axis; beside it,
<name>.json holds 5 seeded inputs and PyTorch's outputs for them (float32, one example per row).
"""
import json
import os

import onnx
import torch
from torch import nn

here = os.path.dirname(os.path.abspath(__file__))


class MatMulLinear(nn.Module):
    """x @ W^T + b written out, which torch.onnx.export writes as MatMul (W^T folded) + Add."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_out, n_in) * 0.5)
        self.bias = nn.Parameter(torch.randn(n_out) * 0.5)

    def forward(self, x):
        return x @ self.weight.t() + self.bias


def export(name, model, input_shape, opset):
    model.eval()
    path = os.path.join(here, f"{name}.onnx")
    torch.onnx.export(model, torch.zeros(1, *input_shape), path, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=opset)
    onnx.checker.check_model(onnx.load(path))
    x = torch.rand(5, *input_shape)
    with torch.no_grad():
        y = model(x)
    with open(os.path.join(here, f"{name}.json"), "w") as f:
        json.dump({"torch": torch.__version__, "opset": opset, "input_shape": [5, *input_shape],
                   "x": x.reshape(-1).tolist(), "y": y.reshape(-1).tolist(), "sizes": [int(torch.tensor(input_shape).prod())] + [
                       m.weight.shape[0] for m in model if hasattr(m, "weight")]}, f)
    print(name, [n.op_type for n in onnx.load(path).graph.node])


torch.manual_seed(1)
export("torch-flatten-gemm", nn.Sequential(nn.Flatten(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 4), nn.Softmax(dim=1)), (1, 4, 4), 13)
export("torch-tanh-sigmoid-dropout", nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Dropout(0.5), nn.Linear(5, 4), nn.Sigmoid(), nn.Linear(4, 3)), (6,), 17)
export("torch-matmul-add", nn.Sequential(MatMulLinear(6, 5), nn.ReLU(), MatMulLinear(5, 3), nn.Softmax(dim=-1)), (6,), 11)


# Convolutional networks (test/interop-onnx.test.ts types them by a layer list, so no sizes here).
def export_cnn(name, model, input_shape, opset):
    model.eval()
    path = os.path.join(here, f"{name}.onnx")
    torch.onnx.export(model, torch.zeros(1, *input_shape), path, input_names=["input"], output_names=["output"],
                      dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}, opset_version=opset)
    onnx.checker.check_model(onnx.load(path))
    x = torch.rand(5, *input_shape)
    with torch.no_grad():
        y = model(x)
    with open(os.path.join(here, f"{name}.json"), "w") as f:
        json.dump({"torch": torch.__version__, "opset": opset, "input_shape": [5, *input_shape],
                   "x": x.reshape(-1).tolist(), "y": y.reshape(-1).tolist()}, f)
    print(name, [n.op_type for n in onnx.load(path).graph.node])


torch.manual_seed(2)
# stride (2, 1), a rectangular kernel, padding (1, 2) (TensorFlow's "same" for this input), overlapping pooling
export_cnn("torch-cnn", nn.Sequential(
    nn.Conv2d(2, 4, (3, 5), stride=(2, 1), padding=(1, 2)), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(4, 6, 3, padding=1), nn.Tanh(), nn.MaxPool2d((3, 2), stride=(1, 2)),
    nn.Flatten(), nn.Linear(12, 5), nn.Softmax(dim=1)), (2, 11, 11), 13)
# ReLU after the pooling (max and ReLU commute), a sigmoid output
export_cnn("torch-cnn-pool-relu", nn.Sequential(
    nn.Conv2d(1, 3, 3), nn.MaxPool2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(27, 4), nn.Sigmoid()), (1, 8, 8), 17)
