import type { Network } from '../ir/network.js';
/** What a drawing of a schedule adds to the plain graph. */
export interface DotDecoration {
    /** A caption under the graph. */
    caption?: string;
    /** Fill colour per layer name. */
    fill?: ReadonlyMap<string, string>;
    /** One more label line per layer name. */
    note?: ReadonlyMap<string, string>;
    /** Boxes around groups of layers (fused segments), each with a label and a fill colour. */
    clusters?: {
        label: string;
        layers: string[];
        fill: string;
    }[];
    /** Give layer i the SVG id `layer-i` (its index in net.layers), so a page can find and restyle it. */
    layerIds?: boolean;
}
/** The id a layer's node gets in the SVG with `layerIds`. */
export declare function layerNodeId(index: number): string;
export declare function networkDot(net: Network, decoration?: DotDecoration): string;
