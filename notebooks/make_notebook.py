"""Writes a tslab notebook from a list of (kind, source) cells: python3 make_notebook.py out.ipynb < cells.txt
Cells in the input are separated by lines '#%% md' or '#%% code'."""
import json, sys

def main(path):
    cells, kind, lines = [], None, []
    def flush():
        if kind is not None:
            src = "\n".join(lines).strip("\n")
            cell = {"cell_type": "markdown" if kind == "md" else "code", "metadata": {}, "source": src.splitlines(keepends=True)}
            if kind == "code":
                cell.update(execution_count=None, outputs=[])
            cells.append(cell)
    for line in sys.stdin.read().splitlines():
        if line.startswith("#%% "):
            flush()
            kind, lines = line[4:].strip(), []
        else:
            lines.append(line)
    flush()
    nb = {"cells": cells, "metadata": {"kernelspec": {"display_name": "TypeScript", "language": "typescript", "name": "tslab"},
          "language_info": {"name": "typescript"}}, "nbformat": 4, "nbformat_minor": 5}
    with open(path, "w") as f:
        json.dump(nb, f, indent=1)
        f.write("\n")

main(sys.argv[1])
