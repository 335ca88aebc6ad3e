// What the chat page remembers while it is open: the conversation, the handbooks, the panel.
export const state = {
  history: [],
  documents: [],
  selected: new Set(),
  documentsLoaded: false,
  busy: false,
  controller: null,
  panel: { trigger: null, cited: null, context: null, currentId: null, token: 0 },
};
