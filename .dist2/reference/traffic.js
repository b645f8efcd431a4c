// Decoding the speed-sign detector's output (Peemen's network, /work/shared/networks/caffe/traffic):
// the rule of the paper tool's example program, which produced ref.txt.
import { InputError } from '../ir/errors.js';
import { shapeText } from '../ir/network.js';
/** Speed limits of output channels 1..7, in km/h. */
export const trafficSpeeds = [30, 50, 60, 70, 80, 90, 100];
/** A position is a detection when output channel 0 reaches this value. */
export const trafficThreshold = 1.6;
/** The output map has a quarter of the input resolution: output (x, y) is image pixel (4x, 4y). */
export const trafficScale = 4;
/** Detections in scan order (rows top to bottom, columns left to right). */
export function trafficDetections(output) {
    const { c, h, w } = output.shape;
    if (c !== 1 + trafficSpeeds.length)
        throw new InputError(`the detector's output must have ${1 + trafficSpeeds.length} channels, got ${shapeText(output.shape)}`);
    const plane = h * w;
    const found = [];
    for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
            const i = y * w + x;
            if (output.data[i] < trafficThreshold)
                continue;
            let best = 0;
            let score = output.data[plane + i];
            for (let k = 1; k < trafficSpeeds.length; k++) {
                const v = output.data[(k + 1) * plane + i];
                if (v > score) {
                    best = k;
                    score = v;
                }
            }
            found.push({ x, y, speed: trafficSpeeds[best], confidence: 1 / (1 + Math.exp(-score)) });
        }
    return found;
}
/** The lines of ref.txt: `4x, 4y, <speed>km/h confidence: <value>`, six decimals. */
export function formatTrafficDetections(detections) {
    return detections
        .map((d) => `${trafficScale * d.x}, ${trafficScale * d.y}, ${d.speed}km/h confidence: ${d.confidence.toFixed(6)}\n`)
        .join('');
}
//# sourceMappingURL=traffic.js.map