export interface CaseRequest {
    target: string;
    seed: number;
    index: number;
    dir: string;
}
export interface CaseReply {
    code: number;
    stderr: string;
    created: string[];
    ms: number;
}
