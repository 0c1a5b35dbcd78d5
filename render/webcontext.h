void sf_web_context_tune(int document_viewer);
