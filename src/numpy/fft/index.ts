/** np.fft: discrete Fourier transforms (pocketfft's algorithms, NumPy's API, dtypes and errors). */
export { fft, ifft, fft2, ifft2, fftn, ifftn } from "./standard.js";
export { rfft, irfft, rfft2, irfft2, rfftn, irfftn } from "./real.js";
export { hfft, ihfft } from "./hermitian.js";
export { fftfreq, rfftfreq, fftshift, ifftshift } from "./helper.js";
