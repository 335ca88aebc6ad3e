"""One builder per item kind: each turns an analysed statement into a draft item, or None."""
