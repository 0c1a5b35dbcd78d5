Component({ options: { addGlobalClass: false } });
