"""The restricted evaluator's parts: checker, rewriter, run-time guard and budget.

`service.engine.safe_eval` is the public face; see its docstring for why every
evaluation is bounded.
"""
