print("pfs")
