function run(code) {
  var pc = 0, acc = 0
  while (pc < code.length) {
    switch (code[pc++]) {
      case 0: acc = acc + 0; break
      case 1: acc = acc + 1; break
      case 2: acc = acc + 2; break
      case 3: acc = acc + 3; break
      case 4: acc = acc + 4; break
      case 5: acc = acc + 5; break
      case 6: acc = acc + 6; break
      case 7: acc = acc + 7; break
      case 8: acc = acc + 8; break
      case 9: acc = acc + 9; break
      case 10: acc = acc + 10; break
      case 11: acc = acc + 11; break
      case 12: acc = acc + 12; break
      case 13: acc = acc + 13; break
      case 14: acc = acc + 14; break
      case 15: acc = acc + 15; break
      case 16: acc = acc + 16; break
      case 17: acc = acc + 17; break
      case 18: acc = acc + 18; break
      case 19: acc = acc + 19; break
      case 20: acc = acc + 20; break
      case 21: acc = acc + 21; break
      case 22: acc = acc + 22; break
      case 23: acc = acc + 23; break
      case 24: acc = acc + 24; break
      case 25: acc = acc + 25; break
      case 26: acc = acc + 26; break
      case 27: acc = acc + 27; break
      case 28: acc = acc + 28; break
      case 29: acc = acc + 29; break
    }
  }
  return acc
}
