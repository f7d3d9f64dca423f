/**
 * np.gradient and np.trapezoid against test/fixtures/sum_prod_diff.json
 * (test/fixtures/generate_sum_prod_diff.py): dtypes, shapes, values, errors.
 */
import { loadCases, replay } from "./call_fixture.js";

replay(loadCases("sum_prod_diff"));
