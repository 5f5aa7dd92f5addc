"""Prints, as JSON, what an Airflow DAG file says literally: the DAG(...) and
SparkSubmitOperator(...) keyword arguments whose values are literals. Reads the file with
Python's own parser (ast), so it needs neither Airflow nor the DAG's imports."""
import ast
import json
import sys


def literal_keywords(call):
    values = {}
    for keyword in call.keywords:
        try:
            values[keyword.arg] = ast.literal_eval(keyword.value)
        except ValueError:
            pass  # not a literal (timedelta(...), a variable): not checked
    return values


def main(path):
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    facts = {"dags": [], "spark_submits": [], "failing_for_good": [], "constants": {}}
    for node in tree.body:
        # Module constants, so that arguments built from them can be read.
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                facts["constants"][node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
        # Operator classes that turn a failure into AirflowFailException (no retry), and on what.
        if isinstance(node, ast.ClassDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Raise) and isinstance(inner.exc, ast.Call) \
                        and getattr(inner.exc.func, "id", None) == "AirflowFailException":
                    facts["failing_for_good"].append(node.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "DAG":
                facts["dags"].append(literal_keywords(node))
            elif node.func.id in ("SparkSubmitOperator", "EligibilityRunOperator"):
                facts["spark_submits"].append(literal_keywords(node))
    json.dump(facts, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
