"""A tiny ONNX model with piper's input/output signature, generated for the tests: it
turns phoneme ids into a tone (256 samples per id, amplitude scaled by length_scale)."""

from __future__ import annotations

import json
from pathlib import Path


def write_tiny_voice(folder: Path, name: str = "vi_VN-thu-tiny") -> Path:
    import onnx
    from onnx import TensorProto, helper

    nodes = [
        helper.make_node("Cast", ["input"], ["ids"], to=TensorProto.FLOAT),
        helper.make_node("Constant", [], ["repeats"], value=helper.make_tensor("r", TensorProto.INT64, [2], [1, 256])),
        helper.make_node("Tile", ["ids", "repeats"], ["tiled"]),
        helper.make_node("Constant", [], ["zero"], value=helper.make_tensor("z", TensorProto.FLOAT, [], [0.0])),
        helper.make_node("Constant", [], ["step"], value=helper.make_tensor("s", TensorProto.FLOAT, [], [0.12])),
        helper.make_node("Mul", ["tiled", "zero"], ["zeros"]),
        helper.make_node("Add", ["zeros", "step"], ["steps"]),
        helper.make_node("Constant", [], ["axis"], value=helper.make_tensor("a", TensorProto.INT64, [], [1])),
        helper.make_node("CumSum", ["steps", "axis"], ["phase"]),
        helper.make_node("Sin", ["phase"], ["wave"]),
        helper.make_node("Constant", [], ["one"], value=helper.make_tensor("o", TensorProto.INT64, [1], [1])),
        helper.make_node("Gather", ["scales", "one"], ["length"]),
        helper.make_node("Mul", ["wave", "length"], ["scaled"]),
        helper.make_node("Constant", [], ["gain"], value=helper.make_tensor("g", TensorProto.FLOAT, [], [0.5])),
        helper.make_node("Mul", ["scaled", "gain"], ["quiet"]),
        helper.make_node("Constant", [], ["dim"], value=helper.make_tensor("d", TensorProto.INT64, [1], [1])),
        helper.make_node("Unsqueeze", ["quiet", "dim"], ["output"]),
    ]
    graph = helper.make_graph(
        nodes, "tiny-piper",
        [helper.make_tensor_value_info("input", TensorProto.INT64, [1, "phonemes"]),
         helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
         helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "samples"])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.onnx"
    onnx.save(model, str(path))
    symbols = "_^$ abcdefghijklmnopqrstuvwxyzɓɗəɛɜɔɲŋʃʒθðɐɪʊyˈˌː12345"
    config = {"audio": {"sample_rate": 22050}, "espeak": {"voice": "vi"}, "phoneme_type": "espeak",
              "inference": {"noise_scale": 0.667, "length_scale": 1, "noise_w": 0.8}, "num_speakers": 1,
              "phoneme_id_map": {s: [n] for n, s in enumerate(symbols)}}
    path.with_name(path.name + ".json").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    return path
