import type { Tensor } from './layers.js';
/** Speed limits of output channels 1..7, in km/h. */
export declare const trafficSpeeds: readonly [30, 50, 60, 70, 80, 90, 100];
/** A position is a detection when output channel 0 reaches this value. */
export declare const trafficThreshold = 1.6;
/** The output map has a quarter of the input resolution: output (x, y) is image pixel (4x, 4y). */
export declare const trafficScale = 4;
export interface TrafficDetection {
    /** Column in the output map. */
    x: number;
    /** Row in the output map. */
    y: number;
    /** km/h */
    speed: number;
    /** sigmoid of the winning class score */
    confidence: number;
}
/** Detections in scan order (rows top to bottom, columns left to right). */
export declare function trafficDetections(output: Tensor): TrafficDetection[];
/** The lines of ref.txt: `4x, 4y, <speed>km/h confidence: <value>`, six decimals. */
export declare function formatTrafficDetections(detections: readonly TrafficDetection[]): string;
