function name(n) {
  switch (n) {
    case 0: return 'n0'
    case 1: return 'n1'
    case 2: return 'n2'
    case 3: return 'n3'
    case 4: return 'n4'
    case 5: return 'n5'
    case 6: return 'n6'
    case 7: return 'n7'
    case 8: return 'n8'
    case 9: return 'n9'
    case 10: return 'n10'
    case 11: return 'n11'
    case 12: return 'n12'
    case 13: return 'n13'
    case 14: return 'n14'
    case 15: return 'n15'
    case 16: return 'n16'
    case 17: return 'n17'
    case 18: return 'n18'
    case 19: return 'n19'
    case 20: return 'n20'
    case 21: return 'n21'
    case 22: return 'n22'
    case 23: return 'n23'
    case 24: return 'n24'
    case 25: return 'n25'
    case 26: return 'n26'
    case 27: return 'n27'
    case 28: return 'n28'
    case 29: return 'n29'
  }
}
for (var i = 0; i < 3; i++) {
  switch (i) { case 0: break; case 1: break }
}
