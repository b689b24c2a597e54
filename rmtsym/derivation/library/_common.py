"""Text shared by the derivations: conventions, and the bibliography (one :class:`Reference` per
work, with authors, title, venue, year and arXiv id; derivations cite these objects)."""

from __future__ import annotations

from rmtsym.derivation.record import Reference

CAUCHY = ("Laws are algebraic, $P(G, z) = 0$ with $P$ square-free and primitive; the physical "
          "branch is the one with $G \\sim 1/z$ and $\\mathrm{Im}\\, G < 0$ on the upper half "
          "plane, selected exactly (series at infinity), never by a numerical guess.")
EDGES = ("Support edges are real roots of the discriminant of $P$ in $G$, kept only when the "
         "branch confirms them; atoms are poles of the physical branch with positive residue.")
MONTE_CARLO = ("Monte Carlo checks use matrices of size $n \\ge 2000$ drawn from a seeded "
               "generator (the seed is printed). A spectral moment is a linear statistic divided "
               "by $n$: its finite-size bias and its fluctuations are both of order $1/n$, so "
               "moments are extrapolated, $2\\hat m(n) - \\hat m(n/2)$, with the variance of "
               "$n\\hat m$ pooled over both sizes, and judged by $|z| < 4$. The "
               "Kolmogorov-Smirnov distance of the $N$ pooled eigenvalues must lie below "
               "$\\sqrt{\\ln(2/\\alpha)/(2N)}$, $\\alpha = 10^{-3}$ (the "
               "Dvoretzky-Kiefer-Wolfowitz bound with Massart's constant). Histograms use "
               "Freedman-Diaconis bins.")

RAO_EDELMAN = Reference("RE08", "N. R. Rao and A. Edelman",
                        "The polynomial method for random matrices",
                        "Found. Comput. Math. 8, 649-702", 2008, "math/0601389")
VOICULESCU = Reference("VDN92", "D. V. Voiculescu, K. J. Dykema and A. Nica",
                       "Free Random Variables", "CRM Monograph Series 1, Amer. Math. Soc.", 1992)
NICA_SPEICHER = Reference("NS06", "A. Nica and R. Speicher",
                          "Lectures on the Combinatorics of Free Probability",
                          "London Math. Soc. Lecture Note Ser. 335, Cambridge Univ. Press", 2006)
WIGNER = Reference("W58", "E. P. Wigner",
                   "On the distribution of the roots of certain symmetric matrices",
                   "Ann. of Math. 67, 325-327", 1958)
MARCHENKO_PASTUR = Reference("MP67", "V. A. Marchenko and L. A. Pastur",
                             "Distribution of eigenvalues for some sets of random matrices",
                             "Math. USSR-Sb. 1, 457-483", 1967)
PB = Reference("PB17", "J. Pennington and Y. Bahri",
               "Geometry of neural network loss surfaces via random matrix theory",
               "Proc. 34th Int. Conf. Machine Learning (ICML), PMLR 70, 2798-2806", 2017)
PW = Reference("PW17", "J. Pennington and P. Worah",
               "Nonlinear random matrix theory for deep learning",
               "Advances in Neural Information Processing Systems 30 (NeurIPS), 2637-2646; "
               "J. Stat. Mech. (2019) 124005", 2017)
LLC = Reference("LLC18", "C. Louart, Z. Liao and R. Couillet",
                "A random matrix approach to neural networks",
                "Ann. Appl. Probab. 28, 1190-1248", 2018, "1702.05419")
PSG = Reference("PSG17", "J. Pennington, S. S. Schoenholz and S. Ganguli",
                "Resurrecting the sigmoid in deep learning through dynamical isometry: theory "
                "and practice", "Advances in Neural Information Processing Systems 30 (NeurIPS)",
                2017, "1711.04735")
CHO_SAUL = Reference("CS09", "Y. Cho and L. K. Saul", "Kernel methods for deep learning",
                     "Advances in Neural Information Processing Systems 22 (NeurIPS)", 2009)
WILLIAMS = Reference("W97", "C. K. I. Williams", "Computing with infinite networks",
                     "Advances in Neural Information Processing Systems 9 (NeurIPS)", 1997)
PRICE = Reference("P58", "R. Price",
                  "A useful theorem for nonlinear devices having Gaussian inputs",
                  "IRE Trans. Inform. Theory 4, 69-72", 1958)
STEIN = Reference("S81", "C. M. Stein",
                  "Estimation of the mean of a multivariate normal distribution",
                  "Ann. Statist. 9, 1135-1151", 1981)
MASSART = Reference("M90", "P. Massart",
                    "The tight constant in the Dvoretzky-Kiefer-Wolfowitz inequality",
                    "Ann. Probab. 18, 1269-1283", 1990)
FREEDMAN_DIACONIS = Reference("FD81", "D. Freedman and P. Diaconis",
                              "On the histogram as a density estimator: L2 theory",
                              "Z. Wahrsch. Verw. Gebiete 57, 453-476", 1981)
