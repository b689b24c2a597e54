"""Text shared by the derivations: conventions and references."""

CAUCHY = ("Laws are algebraic, $P(G, z) = 0$ with $P$ square-free and primitive; the physical "
          "branch is the one with $G \\sim 1/z$ and $\\mathrm{Im}\\, G < 0$ on the upper half "
          "plane, selected exactly (series at infinity), never by a numerical guess.")
EDGES = ("Support edges are real roots of the discriminant of $P$ in $G$, kept only when the "
         "branch confirms them; atoms are poles of the physical branch with positive residue.")
RAO_EDELMAN = ("N. R. Rao and A. Edelman, The polynomial method for random matrices, Found. "
               "Comput. Math. 8 (2008) 649-702.")
VOICULESCU = "D. Voiculescu, K. Dykema, A. Nica, Free Random Variables, AMS (1992)."
PB = ("J. Pennington and Y. Bahri, Geometry of neural network loss surfaces via random matrix "
      "theory, ICML 2017, PMLR 70:2798-2806.")
PW = ("J. Pennington and P. Worah, Nonlinear random matrix theory for deep learning, NeurIPS 2017; "
      "J. Stat. Mech. (2019) 124005.")
LLC = ("C. Louart, Z. Liao and R. Couillet, A random matrix approach to neural networks, Ann. "
       "Appl. Probab. 28 (2018) 1190-1248.")
PSG = ("J. Pennington, S. Schoenholz and S. Ganguli, Resurrecting the sigmoid in deep learning "
       "through dynamical isometry, NeurIPS 2017.")
