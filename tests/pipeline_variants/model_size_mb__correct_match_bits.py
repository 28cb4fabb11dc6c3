def model_size_mb(num_params, precision="fp32"):
    """Size in MiB from the bit width, with match/case."""
    match precision:
        case "fp32":
            bits = 32
        case "fp16":
            bits = 16
        case "int8":
            bits = 8
        case _:
            raise ValueError("precision must be 'fp32', 'fp16' or 'int8', not %r" % (precision,))
    return num_params * (bits // 8) / 1024 / 1024
