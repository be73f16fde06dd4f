// Original file: proto/sochdb.proto

export interface TextAnalysis {
  stemming?: string;
  stopWords?: string;
  stopWordList?: string[];
}

export interface TextAnalysis__Output {
  stemming: string;
  stopWords: string;
  stopWordList: string[];
}
