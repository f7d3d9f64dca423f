/**
 * np.histogram2d and np.histogramdd against test/fixtures/histograms.json
 * (test/fixtures/generate_histograms.py): counts, edges, dtypes, densities, errors.
 */
import { loadCases, replay } from "./call_fixture.js";

replay(loadCases("histograms"));
