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
    facts = {"dags": [], "spark_submits": []}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "DAG":
                facts["dags"].append(literal_keywords(node))
            elif node.func.id == "SparkSubmitOperator":
                facts["spark_submits"].append(literal_keywords(node))
    json.dump(facts, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
