import PFSModel
