"""A tiny korvatts model generated for the tests: the four ONNX graphs with korvatts' input and
output names and shapes (duration_predictor, text_encoder, vector_estimator, vocoder), its
tts.json, unicode_indexer.json and two voice styles. The duration is 0.06 s per character; the
flow steps move the latent towards 1 inside its mask; the vocoder turns the latent into a tone."""

from __future__ import annotations

import json
from pathlib import Path

CHUNK, COMPRESS, LATENT_DIM, RATE = 64, 2, 4, 16000


def _save(graph, path: Path) -> None:
    import onnx
    from onnx import helper

    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def _const(helper, TensorProto, name, value, dims=()):
    return helper.make_node("Constant", [], [name], value=helper.make_tensor(name + "_v", TensorProto.FLOAT, list(dims),
                                                                              [value] if not dims else value))


def write_tiny_korvatts(folder: Path, licence: bool = True) -> Path:
    from onnx import TensorProto, helper

    onnx_dir = folder / "onnx"
    onnx_dir.mkdir(parents=True, exist_ok=True)
    f, i64 = TensorProto.FLOAT, TensorProto.INT64
    text_ids = helper.make_tensor_value_info("text_ids", i64, [1, "T"])
    text_mask = helper.make_tensor_value_info("text_mask", f, [1, 1, "T"])
    style_dp = helper.make_tensor_value_info("style_dp", f, [1, 8, 16])
    style_ttl = helper.make_tensor_value_info("style_ttl", f, [1, 50, 256])

    # duration = 0.06 s * characters (+ 0 * the style, so every input is used)
    _save(helper.make_graph([
        helper.make_node("ReduceSum", ["text_mask"], ["chars"], keepdims=0),
        helper.make_node("ReduceSum", ["style_dp"], ["style_sum"], keepdims=0),
        _const(helper, TensorProto, "per_char", 0.06), _const(helper, TensorProto, "zero", 0.0),
        helper.make_node("Mul", ["chars", "per_char"], ["seconds"]),
        helper.make_node("Mul", ["style_sum", "zero"], ["nothing"]),
        helper.make_node("Add", ["seconds", "nothing"], ["total"]),
        helper.make_node("Constant", [], ["shape"], value=helper.make_tensor("s", i64, [1], [1])),
        helper.make_node("Reshape", ["total", "shape"], ["duration"]),
    ], "dp", [text_ids, style_dp, text_mask], [helper.make_tensor_value_info("duration", f, [1])]),
        onnx_dir / "duration_predictor.onnx")

    # text_emb[1,1,T] = ids * mask (+ 0 * the style)
    _save(helper.make_graph([
        helper.make_node("Cast", ["text_ids"], ["ids"], to=f),
        helper.make_node("Constant", [], ["axis"], value=helper.make_tensor("a", i64, [1], [1])),
        helper.make_node("Unsqueeze", ["ids", "axis"], ["ids3"]),
        helper.make_node("Mul", ["ids3", "text_mask"], ["masked"]),
        helper.make_node("ReduceSum", ["style_ttl"], ["style_sum"], keepdims=0),
        _const(helper, TensorProto, "zero", 0.0),
        helper.make_node("Mul", ["style_sum", "zero"], ["nothing"]),
        helper.make_node("Add", ["masked", "nothing"], ["text_emb"]),
    ], "te", [text_ids, style_ttl, text_mask], [helper.make_tensor_value_info("text_emb", f, [1, 1, "T"])]),
        onnx_dir / "text_encoder.onnx")

    # one flow step: latent + (1 - latent) / (total - step), inside the latent mask
    _save(helper.make_graph([
        _const(helper, TensorProto, "one", 1.0),
        helper.make_node("Sub", ["one", "noisy_latent"], ["gap"]),
        helper.make_node("Sub", ["total_step", "current_step"], ["left"]),
        helper.make_node("Div", ["gap", "left"], ["move"]),
        helper.make_node("Add", ["noisy_latent", "move"], ["moved"]),
        helper.make_node("Mul", ["moved", "latent_mask"], ["inside"]),
        helper.make_node("ReduceSum", ["text_emb"], ["e"], keepdims=0),
        helper.make_node("ReduceSum", ["style_ttl"], ["s"], keepdims=0),
        helper.make_node("ReduceSum", ["text_mask"], ["m"], keepdims=0),
        helper.make_node("Add", ["e", "s"], ["es"]),
        helper.make_node("Add", ["es", "m"], ["esm"]),
        _const(helper, TensorProto, "zero", 0.0),
        helper.make_node("Mul", ["esm", "zero"], ["nothing"]),
        helper.make_node("Add", ["inside", "nothing"], ["denoised_latent"]),
    ], "ve", [helper.make_tensor_value_info("noisy_latent", f, [1, "C", "L"]),
              helper.make_tensor_value_info("text_emb", f, [1, 1, "T"]), style_ttl, text_mask,
              helper.make_tensor_value_info("latent_mask", f, [1, 1, "L"]),
              helper.make_tensor_value_info("current_step", f, [1]), helper.make_tensor_value_info("total_step", f, [1])],
        [helper.make_tensor_value_info("denoised_latent", f, [1, "C", "L"])]), onnx_dir / "vector_estimator.onnx")

    # vocoder: the latent's mean per frame, CHUNK*COMPRESS samples a frame, times a tone
    _save(helper.make_graph([
        helper.make_node("ReduceMean", ["latent"], ["level"], axes=[1], keepdims=0),            # [1, L]
        helper.make_node("Constant", [], ["repeats"], value=helper.make_tensor("r", i64, [2], [1, CHUNK * COMPRESS])),
        helper.make_node("Tile", ["level", "repeats"], ["tiled"]),
        _const(helper, TensorProto, "zero", 0.0), _const(helper, TensorProto, "step", 0.09),
        helper.make_node("Mul", ["tiled", "zero"], ["zeros"]),
        helper.make_node("Add", ["zeros", "step"], ["steps"]),
        helper.make_node("Constant", [], ["axis"], value=helper.make_tensor("a", i64, [], [1])),
        helper.make_node("CumSum", ["steps", "axis"], ["phase"]),
        helper.make_node("Sin", ["phase"], ["tone"]),
        helper.make_node("Mul", ["tone", "tiled"], ["wav_tts"]),
    ], "voc", [helper.make_tensor_value_info("latent", f, [1, "C", "L"])],
        [helper.make_tensor_value_info("wav_tts", f, [1, "S"])]), onnx_dir / "vocoder.onnx")

    (onnx_dir / "tts.json").write_text(json.dumps({"ae": {"sample_rate": RATE, "base_chunk_size": CHUNK},
                                                   "ttl": {"chunk_compress_factor": COMPRESS,
                                                           "latent_dim": LATENT_DIM}}), "utf-8")
    indexer = [-1] * 0x2000
    for n, code in enumerate(range(0x20, 0x2000)):
        indexer[code] = n % 200
    (onnx_dir / "unicode_indexer.json").write_text(json.dumps(indexer), "utf-8")
    styles = folder / "voice_styles"
    styles.mkdir(exist_ok=True)
    for name, level in (("khanh_vy", 0.1), ("hoang_nam", -0.1)):
        style = {"style_ttl": {"dims": [1, 50, 256], "data": [[[level] * 256] * 50]},
                 "style_dp": {"dims": [1, 8, 16], "data": [[[level] * 16] * 8]}}
        (styles / f"{name}.json").write_text(json.dumps(style), "utf-8")
    if licence:
        (folder / "LICENSE").write_text("Apache License\nVersion 2.0, January 2004\n(test model)\n", "utf-8")
    return folder
