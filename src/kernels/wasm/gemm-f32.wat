;; The float32 matrix product on Float32Array data: C = alpha op(A) op(B) (+ C), read and written
;; as float32, so nothing is converted per product. Assembled by `npm run build:wasm`
;; (build.ts), which expands the `f32x4.madd` macro below into f32x4.mul + f32x4.add (the plain
;; module) or f32x4.relaxed_madd (the relaxed-SIMD module, fused where the CPU has FMA), and
;; emits each as a module that imports the kernel heap's memory (env.memory), shared or not.
;;
;; The driver (driver.ts) hands over byte offsets of A, B and C in that memory (copied there, or
;; resident). `pack` and `packRows` lay op(A) out in panels of 4 rows and op(B) in panels of 8
;; columns, both k-major; `kernel` multiplies the panels into a padded C; `kernelInPlace` does the
;; same reading op(A) where it lies (rows of a plain A), unpacked; `copyOut` writes alpha times its
;; m x n part into C.
;;
;; Why a 4x8 block of C (eight f32x4 accumulators, two per row): V8 loads every splat of a step at
;; its top, so a step needs (rows splats + 2 B vectors + 2 rows sums + 1) of the 15 vector
;; registers it allocates; 5x8 and 6x8 blocks spill and measured 40-50% slower, and a 2x-unrolled
;; loop 35% slower.
(module
  (import "env" "memory" (memory 1))

  ;; kernel(pa, pb, pc, mPanels, nPanels, kc, first, ldc, alpha): C (+)= alpha packed A times
  ;; packed B. pa, pb, pc are byte offsets, ldc the bytes per row of C; first = 1 writes C, first
  ;; = 0 adds to it. C is either the padded block the driver copies out of, or, when its sizes
  ;; are whole blocks, the real C (no copy-out pass): alpha is applied here for that case, to the
  ;; eight sums of a block (one multiply each per block and k block, not per step).
  (func (export "kernel")
    (param $pa i32) (param $pb i32) (param $pc i32) (param $mp i32) (param $np i32) (param $kc i32) (param $first i32) (param $ldc i32) (param $alpha f64)
    (local $ip i32) (local $jp i32) (local $a i32) (local $b i32) (local $aend i32) (local $c i32)
    (local $apanel i32) (local $bpanel i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    ;; bytes per packed panel of A (kc steps of 4 float32) and of B (kc steps of 8 float32)
    (local.set $apanel (i32.shl (local.get $kc) (i32.const 4)))
    (local.set $bpanel (i32.shl (local.get $kc) (i32.const 5)))
    (local.set $jp (i32.const 0))
    (block $jdone (loop $jloop
      (br_if $jdone (i32.ge_u (local.get $jp) (local.get $np)))
      (local.set $ip (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $ip) (local.get $mp)))
        (local.set $c00 (v128.const i32x4 0 0 0 0))
        (local.set $c01 (v128.const i32x4 0 0 0 0))
        (local.set $c10 (v128.const i32x4 0 0 0 0))
        (local.set $c11 (v128.const i32x4 0 0 0 0))
        (local.set $c20 (v128.const i32x4 0 0 0 0))
        (local.set $c21 (v128.const i32x4 0 0 0 0))
        (local.set $c30 (v128.const i32x4 0 0 0 0))
        (local.set $c31 (v128.const i32x4 0 0 0 0))
        (local.set $a (i32.add (local.get $pa) (i32.mul (local.get $ip) (local.get $apanel))))
        (local.set $b (i32.add (local.get $pb) (i32.mul (local.get $jp) (local.get $bpanel))))
        (local.set $aend (i32.add (local.get $a) (local.get $apanel)))
        ;; kc >= 1 always, so the loop tests at its end (one branch per step of k)
        (loop $kloop
          (local.set $b0 (v128.load (local.get $b)))
          (local.set $b1 (v128.load offset=16 (local.get $b)))
          (local.set $x (v128.load32_splat (local.get $a)))
          (local.set $c00 (f32x4.madd (local.get $x) (local.get $b0) (local.get $c00)))
          (local.set $c01 (f32x4.madd (local.get $x) (local.get $b1) (local.get $c01)))
          (local.set $x (v128.load32_splat offset=4 (local.get $a)))
          (local.set $c10 (f32x4.madd (local.get $x) (local.get $b0) (local.get $c10)))
          (local.set $c11 (f32x4.madd (local.get $x) (local.get $b1) (local.get $c11)))
          (local.set $x (v128.load32_splat offset=8 (local.get $a)))
          (local.set $c20 (f32x4.madd (local.get $x) (local.get $b0) (local.get $c20)))
          (local.set $c21 (f32x4.madd (local.get $x) (local.get $b1) (local.get $c21)))
          (local.set $x (v128.load32_splat offset=12 (local.get $a)))
          (local.set $c30 (f32x4.madd (local.get $x) (local.get $b0) (local.get $c30)))
          (local.set $c31 (f32x4.madd (local.get $x) (local.get $b1) (local.get $c31)))
          (local.set $a (i32.add (local.get $a) (i32.const 16)))
          (local.set $b (i32.add (local.get $b) (i32.const 32)))
          (br_if $kloop (i32.lt_u (local.get $a) (local.get $aend))))
        ;; alpha in $x, free after the loop: a local live across it would take a 16th register
        (local.set $x (f32x4.splat (f32.demote_f64 (local.get $alpha))))
        (local.set $c00 (f32x4.mul (local.get $c00) (local.get $x)))
        (local.set $c01 (f32x4.mul (local.get $c01) (local.get $x)))
        (local.set $c10 (f32x4.mul (local.get $c10) (local.get $x)))
        (local.set $c11 (f32x4.mul (local.get $c11) (local.get $x)))
        (local.set $c20 (f32x4.mul (local.get $c20) (local.get $x)))
        (local.set $c21 (f32x4.mul (local.get $c21) (local.get $x)))
        (local.set $c30 (f32x4.mul (local.get $c30) (local.get $x)))
        (local.set $c31 (f32x4.mul (local.get $c31) (local.get $x)))
        ;; the block's first row in C: pc + (4 ip) ldc + 32 jp
        (local.set $c (i32.add (local.get $pc)
          (i32.add (i32.mul (i32.shl (local.get $ip) (i32.const 2)) (local.get $ldc)) (i32.shl (local.get $jp) (i32.const 5)))))
        (if (local.get $first)
          (then
            (v128.store (local.get $c) (local.get $c00))
            (v128.store offset=16 (local.get $c) (local.get $c01))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (local.get $c10))
            (v128.store offset=16 (local.get $c) (local.get $c11))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (local.get $c20))
            (v128.store offset=16 (local.get $c) (local.get $c21))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (local.get $c30))
            (v128.store offset=16 (local.get $c) (local.get $c31))
          )
          (else
            (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c00)))
            (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c10)))
            (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c11)))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c20)))
            (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c21)))
            (local.set $c (i32.add (local.get $c) (local.get $ldc)))
            (v128.store (local.get $c) (f32x4.add (v128.load (local.get $c)) (local.get $c30)))
            (v128.store offset=16 (local.get $c) (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c31)))
          ))
        (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
        (br $iloop)))
      (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
      (br $jloop)))
  )

  ;; kernelInPlace(pa, rowStep, aStep, panelStep, pb, pc, mPanels, nPanels, kc, first, ldc, alpha): the
  ;; kernel above with op(A) read where it lies, not packed: row r of a block of 4 rows of op(A)
  ;; starts at pa + r rowStep, moves aStep bytes per step of k, and block ip starts at pa + ip
  ;; panelStep. For A plain (m x k, lda bytes per row): rowStep = lda, aStep = 4, panelStep = 4 lda;
  ;; for A transposed (k x m): rowStep = 4, aStep = lda, panelStep = 16. Packing op(A) cost ~11%
  ;; of W a and W^T delta with a 1024x1024 W (4 MB repacked per product). Four row pointers, each
  ;; advanced per step: four integer adds beside the eight multiply-adds, and no vector register
  ;; more than the packed kernel. The rows of op(A) that do not fill a block of 4 still go through
  ;; `pack` and `kernel`.
  (func (export "kernelInPlace")
    (param $pa i32) (param $rs i32) (param $as i32) (param $ps i32) (param $pb i32) (param $pc i32) (param $mp i32) (param $np i32) (param $kc i32) (param $first i32) (param $ldc i32) (param $alpha f64)
    (local $ip i32) (local $jp i32) (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $b i32) (local $bend i32) (local $c i32)
    (local $bpanel i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128) (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local.set $bpanel (i32.shl (local.get $kc) (i32.const 5)))
    (local.set $jp (i32.const 0))
    (block $jdone (loop $jloop
      (br_if $jdone (i32.ge_u (local.get $jp) (local.get $np)))
      (local.set $ip (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_u (local.get $ip) (local.get $mp)))
        (local.set $c00 (v128.const i32x4 0 0 0 0))
        (local.set $c01 (v128.const i32x4 0 0 0 0))
        (local.set $c10 (v128.const i32x4 0 0 0 0))
        (local.set $c11 (v128.const i32x4 0 0 0 0))
        (local.set $c20 (v128.const i32x4 0 0 0 0))
        (local.set $c21 (v128.const i32x4 0 0 0 0))
        (local.set $c30 (v128.const i32x4 0 0 0 0))
        (local.set $c31 (v128.const i32x4 0 0 0 0))
        (local.set $a0 (i32.add (local.get $pa) (i32.mul (local.get $ip) (local.get $ps))))
        (local.set $a1 (i32.add (local.get $a0) (local.get $rs)))
        (local.set $a2 (i32.add (local.get $a1) (local.get $rs)))
        (local.set $a3 (i32.add (local.get $a2) (local.get $rs)))
        (local.set $b (i32.add (local.get $pb) (i32.mul (local.get $jp) (local.get $bpanel))))
        (local.set $bend (i32.add (local.get $b) (local.get $bpanel)))
        (loop $kloop
          (local.set $b0 (v128.load (local.get $b)))
          (local.set $b1 (v128.load offset=16 (local.get $b)))
          (local.set $x (v128.load32_splat (local.get $a0)))
          (local.set $c00 (f32x4.madd (local.get $x) (local.get $b0) (local.get $c00)))
          (local.set $c01 (f32x4.madd (local.get $x) (local.get $b1) (local.get $c01)))
          (local.set $x (v128.load32_splat (local.get $a1)))
          (local.set $c10 (f32x4.madd (local.get $x) (local.get $b0) (local.get $c10)))
          (local.set $c11 (f32x4.madd (local.get $x) (local.get $b1) (local.get $c11)))
          (local.set $x (v128.load32_splat (local.get $a2)))
          (local.set $c20 (f32x4.madd (local.get $x) (local.get $b0) (local.get $c20)))
          (local.set $c21 (f32x4.madd (local.get $x) (local.get $b1) (local.get $c21)))
          (local.set $x (v128.load32_splat (local.get $a3)))
          (local.set $c30 (f32x4.madd (local.get $x) (local.get $b0) (local.get $c30)))
          (local.set $c31 (f32x4.madd (local.get $x) (local.get $b1) (local.get $c31)))
          (local.set $a0 (i32.add (local.get $a0) (local.get $as)))
          (local.set $a1 (i32.add (local.get $a1) (local.get $as)))
          (local.set $a2 (i32.add (local.get $a2) (local.get $as)))
          (local.set $a3 (i32.add (local.get $a3) (local.get $as)))
          (local.set $b (i32.add (local.get $b) (i32.const 32)))
          (br_if $kloop (i32.lt_u (local.get $b) (local.get $bend))))
        (local.set $x (f32x4.splat (f32.demote_f64 (local.get $alpha))))
        (local.set $c00 (f32x4.mul (local.get $c00) (local.get $x)))
        (local.set $c01 (f32x4.mul (local.get $c01) (local.get $x)))
        (local.set $c10 (f32x4.mul (local.get $c10) (local.get $x)))
        (local.set $c11 (f32x4.mul (local.get $c11) (local.get $x)))
        (local.set $c20 (f32x4.mul (local.get $c20) (local.get $x)))
        (local.set $c21 (f32x4.mul (local.get $c21) (local.get $x)))
        (local.set $c30 (f32x4.mul (local.get $c30) (local.get $x)))
        (local.set $c31 (f32x4.mul (local.get $c31) (local.get $x)))
        (local.set $c (i32.add (local.get $pc)
          (i32.add (i32.mul (i32.shl (local.get $ip) (i32.const 2)) (local.get $ldc)) (i32.shl (local.get $jp) (i32.const 5)))))
        (call $store (local.get $c) (local.get $ldc) (local.get $first)
          (local.get $c00) (local.get $c01) (local.get $c10) (local.get $c11) (local.get $c20) (local.get $c21) (local.get $c30) (local.get $c31))
        (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
        (br $iloop)))
      (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
      (br $jloop)))
  )

  ;; store(c, ldc, first, c00 .. c31): writes (first = 1) or adds a 4x8 block at c. Once per block
  ;; and K block (kc steps), so the call costs nothing measurable and kernelInPlace stays short.
  (func $store
    (param $c i32) (param $ldc i32) (param $first i32)
    (param $c00 v128) (param $c01 v128) (param $c10 v128) (param $c11 v128) (param $c20 v128) (param $c21 v128) (param $c30 v128) (param $c31 v128)
    (if (i32.eqz (local.get $first))
      (then
        (local.set $c00 (f32x4.add (v128.load (local.get $c)) (local.get $c00)))
        (local.set $c01 (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
        (local.set $c10 (f32x4.add (v128.load (i32.add (local.get $c) (local.get $ldc))) (local.get $c10)))
        (local.set $c11 (f32x4.add (v128.load offset=16 (i32.add (local.get $c) (local.get $ldc))) (local.get $c11)))
        (local.set $c20 (f32x4.add (v128.load (i32.add (local.get $c) (i32.shl (local.get $ldc) (i32.const 1)))) (local.get $c20)))
        (local.set $c21 (f32x4.add (v128.load offset=16 (i32.add (local.get $c) (i32.shl (local.get $ldc) (i32.const 1)))) (local.get $c21)))
        (local.set $c30 (f32x4.add (v128.load (i32.add (local.get $c) (i32.mul (local.get $ldc) (i32.const 3)))) (local.get $c30)))
        (local.set $c31 (f32x4.add (v128.load offset=16 (i32.add (local.get $c) (i32.mul (local.get $ldc) (i32.const 3)))) (local.get $c31)))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c30))
    (v128.store offset=16 (local.get $c) (local.get $c31))
  )

  ;; pack(src, line, lines, width, kc, dst): packs `lines` lines of kc contiguous float32 values.
  ;; Line l starts at byte src + l * line, so one function packs op(A) of a plain A (a line is a
  ;; row) and op(B) of a transposed B (a line is a column of op(B)). Panels hold `width` lines
  ;; (4 or 8), k-major: line l, step q goes to element ((l / width) * kc + q) * width + l % width
  ;; from dst. Four lines and four steps per iteration are one 4x4 transpose in registers (4 loads,
  ;; 8 shuffles, 4 stores) rather than 16 scalar moves; the steps left over (kc mod 4) and the last
  ;; lines (lines mod 4) go one value at a time; lines from `lines` up to a multiple of `width` are
  ;; zero.
  (func (export "pack")
    (param $src i32) (param $line i32) (param $lines i32) (param $width i32) (param $kc i32) (param $dst i32)
    (local $l i32) (local $end i32) (local $d i32) (local $dend i32) (local $dstep i32) (local $q i32)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $dstep (i32.shl (local.get $width) (i32.const 2)))
    (local.set $end (i32.and (i32.add (local.get $lines) (i32.sub (local.get $width) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get $width))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $l) (local.get $end)))
      ;; first element of line l: ((l rounded down to width) * kc + l % width) float32s from dst
      (local.set $d (i32.add (local.get $dst) (i32.shl
        (i32.add (i32.mul (i32.and (local.get $l) (i32.sub (i32.const 0) (local.get $width))) (local.get $kc))
                 (i32.and (local.get $l) (i32.sub (local.get $width) (i32.const 1))))
        (i32.const 2))))
      (local.set $s0 (i32.add (local.get $src) (i32.mul (local.get $l) (local.get $line))))
      (if (i32.le_u (i32.add (local.get $l) (i32.const 4)) (local.get $lines))
        (then
          ;; lines l .. l + 3, all real
          (local.set $s1 (i32.add (local.get $s0) (local.get $line)))
          (local.set $s2 (i32.add (local.get $s1) (local.get $line)))
          (local.set $s3 (i32.add (local.get $s2) (local.get $line)))
          (local.set $q (i32.const 4))
          (block $quadsDone (loop $quads
            (br_if $quadsDone (i32.gt_u (local.get $q) (local.get $kc)))
            (local.set $r0 (v128.load (local.get $s0)))
            (local.set $r1 (v128.load (local.get $s1)))
            (local.set $r2 (v128.load (local.get $s2)))
            (local.set $r3 (v128.load (local.get $s3)))
            ;; t0 = [l0 q, l1 q, l0 q+1, l1 q+1], t1 = the same for q+2, q+3; t2, t3 for lines 2, 3
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
            ;; step q + i: the four lines' values at that step
            (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (local.set $d (i32.add (local.get $d) (local.get $dstep)))
            (v128.store (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (local.set $d (i32.add (local.get $d) (local.get $dstep)))
            (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (local.set $d (i32.add (local.get $d) (local.get $dstep)))
            (v128.store (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $d (i32.add (local.get $d) (local.get $dstep)))
            (local.set $s0 (i32.add (local.get $s0) (i32.const 16)))
            (local.set $s1 (i32.add (local.get $s1) (i32.const 16)))
            (local.set $s2 (i32.add (local.get $s2) (i32.const 16)))
            (local.set $s3 (i32.add (local.get $s3) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (br $quads)))
          ;; the last kc mod 4 steps, one step (four values) at a time
          (local.set $q (i32.sub (local.get $q) (i32.const 4)))
          (block $restDone (loop $rest
            (br_if $restDone (i32.ge_u (local.get $q) (local.get $kc)))
            (f32.store (local.get $d) (f32.load (local.get $s0)))
            (f32.store offset=4 (local.get $d) (f32.load (local.get $s1)))
            (f32.store offset=8 (local.get $d) (f32.load (local.get $s2)))
            (f32.store offset=12 (local.get $d) (f32.load (local.get $s3)))
            (local.set $d (i32.add (local.get $d) (local.get $dstep)))
            (local.set $s0 (i32.add (local.get $s0) (i32.const 4)))
            (local.set $s1 (i32.add (local.get $s1) (i32.const 4)))
            (local.set $s2 (i32.add (local.get $s2) (i32.const 4)))
            (local.set $s3 (i32.add (local.get $s3) (i32.const 4)))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $rest)))
          (local.set $l (i32.add (local.get $l) (i32.const 4))))
        (else
          ;; one line: a real one (fewer than four left) or a zero one
          (local.set $dend (i32.add (local.get $d) (i32.mul (local.get $kc) (local.get $dstep))))
          (if (i32.lt_u (local.get $l) (local.get $lines))
            (then
              (loop $copy
                (f32.store (local.get $d) (f32.load (local.get $s0)))
                (local.set $s0 (i32.add (local.get $s0) (i32.const 4)))
                (local.set $d (i32.add (local.get $d) (local.get $dstep)))
                (br_if $copy (i32.lt_u (local.get $d) (local.get $dend)))))
            (else
              (loop $zero
                (f32.store (local.get $d) (f32.const 0))
                (local.set $d (i32.add (local.get $d) (local.get $dstep)))
                (br_if $zero (i32.lt_u (local.get $d) (local.get $dend))))))
          (local.set $l (i32.add (local.get $l) (i32.const 1)))))
      (br $next)))
  )

  ;; copyOut(pc, ldc, m, n, dst, accumulate, alpha): the float32 m x n matrix at dst becomes alpha
  ;; times the top-left m x n part of the padded C at pc (ldc bytes per row), plus itself when
  ;; accumulate = 1. Four values per vector step, the rest of a row one at a time. alpha arrives as
  ;; float64 (the driver's one signature) and is rounded once.
  (func (export "copyOut")
    (param $pc i32) (param $ldc i32) (param $m i32) (param $n i32) (param $dst i32) (param $acc i32) (param $alpha64 f64)
    (local $i i32) (local $s i32) (local $send i32) (local $vend i32) (local $d i32) (local $x v128) (local $a4 v128) (local $alpha f32)
    (local.set $alpha (f32.demote_f64 (local.get $alpha64)))
    (local.set $a4 (f32x4.splat (local.get $alpha)))
    (local.set $d (local.get $dst))
    (block $done (loop $rows
      (br_if $done (i32.ge_u (local.get $i) (local.get $m)))
      (local.set $s (i32.add (local.get $pc) (i32.mul (local.get $i) (local.get $ldc))))
      (local.set $send (i32.add (local.get $s) (i32.shl (local.get $n) (i32.const 2))))
      ;; the end of the whole vector steps in this row
      (local.set $vend (i32.add (local.get $s) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
      (block $vdone (loop $vec
        (br_if $vdone (i32.ge_u (local.get $s) (local.get $vend)))
        (local.set $x (f32x4.mul (local.get $a4) (v128.load (local.get $s))))
        (if (local.get $acc) (then (local.set $x (f32x4.add (local.get $x) (v128.load (local.get $d))))))
        (v128.store (local.get $d) (local.get $x))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (br $vec)))
      (block $sdone (loop $one
        (br_if $sdone (i32.ge_u (local.get $s) (local.get $send)))
        (if (local.get $acc)
          (then (f32.store (local.get $d) (f32.add (f32.load (local.get $d)) (f32.mul (local.get $alpha) (f32.load (local.get $s))))))
          (else (f32.store (local.get $d) (f32.mul (local.get $alpha) (f32.load (local.get $s))))))
        (local.set $s (i32.add (local.get $s) (i32.const 4)))
        (local.set $d (i32.add (local.get $d) (i32.const 4)))
        (br $one)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
  )

  ;; packRows(src, stride, lines, width, kc, dst): the same panels as pack, for the layout where the
  ;; `lines` values of one step of k are contiguous (op(A) of a transposed A, op(B) of a plain B):
  ;; step q's values start at src + q * stride. Panel by panel (so the writes are sequential), each
  ;; step's `width` values are moved four at a time (one vector load and store); the last panel's
  ;; missing lines are zero.
  (func (export "packRows")
    (param $src i32) (param $stride i32) (param $lines i32) (param $width i32) (param $kc i32) (param $dst i32)
    (local $col i32) (local $full i32) (local $q i32) (local $s i32) (local $d i32) (local $g i32) (local $l i32) (local $rest i32)
    (local $pw i32) (local $c i32) (local $d0 i32) (local $d1 i32) (local $d2 i32) (local $d3 i32)
    ;; bytes of one step's values that fill whole panels, and the lines left for the last panel
    (local.set $full (i32.shl (i32.and (local.get $lines) (i32.sub (i32.const 0) (local.get $width))) (i32.const 2)))
    (local.set $rest (i32.and (local.get $lines) (i32.sub (local.get $width) (i32.const 1))))
    ;; Groups of 64 bytes first: each step's 64 contiguous bytes (one cache line: 16
    ;; float32 or 8 float64 lines, 2 or 4 panels) are read at once and go to their panels, so every
    ;; line of the source is read whole. Panel by panel, a step would read 16 or 32 bytes of each
    ;; line and come back for the rest after kc other lines: with A's rows 4 KiB apart (1024-wide
    ;; layers) those kc lines all map to the same L1 set and are evicted before the return.
    ;; $pw: bytes per panel step; chunk c (16 bytes) of a group goes to panel (col + 16 c) / pw
    ;; at offset (col + 16 c) mod pw of each step.
    (local.set $pw (i32.shl (local.get $width) (i32.const 2)))
    (block $groupsDone (loop $groups
      (br_if $groupsDone (i32.gt_u (i32.add (local.get $col) (i32.const 64)) (local.get $full)))
      (local.set $c (local.get $col))
      (local.set $d0 (i32.add (local.get $dst) (i32.add (i32.mul (i32.and (local.get $c) (i32.sub (i32.const 0) (local.get $pw))) (local.get $kc)) (i32.and (local.get $c) (i32.sub (local.get $pw) (i32.const 1))))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (local.set $d1 (i32.add (local.get $dst) (i32.add (i32.mul (i32.and (local.get $c) (i32.sub (i32.const 0) (local.get $pw))) (local.get $kc)) (i32.and (local.get $c) (i32.sub (local.get $pw) (i32.const 1))))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (local.set $d2 (i32.add (local.get $dst) (i32.add (i32.mul (i32.and (local.get $c) (i32.sub (i32.const 0) (local.get $pw))) (local.get $kc)) (i32.and (local.get $c) (i32.sub (local.get $pw) (i32.const 1))))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (local.set $d3 (i32.add (local.get $dst) (i32.add (i32.mul (i32.and (local.get $c) (i32.sub (i32.const 0) (local.get $pw))) (local.get $kc)) (i32.and (local.get $c) (i32.sub (local.get $pw) (i32.const 1))))))
      (local.set $s (i32.add (local.get $src) (local.get $col)))
      (local.set $q (i32.const 0))
      (loop $steps
        (v128.store (local.get $d0) (v128.load (local.get $s)))
        (v128.store (local.get $d1) (v128.load offset=16 (local.get $s)))
        (v128.store (local.get $d2) (v128.load offset=32 (local.get $s)))
        (v128.store (local.get $d3) (v128.load offset=48 (local.get $s)))
        (local.set $d0 (i32.add (local.get $d0) (local.get $pw)))
        (local.set $d1 (i32.add (local.get $d1) (local.get $pw)))
        (local.set $d2 (i32.add (local.get $d2) (local.get $pw)))
        (local.set $d3 (i32.add (local.get $d3) (local.get $pw)))
        (local.set $s (i32.add (local.get $s) (local.get $stride)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br_if $steps (i32.lt_u (local.get $q) (local.get $kc))))
      (local.set $col (i32.add (local.get $col) (i32.const 64)))
      (br $groups)))
    ;; the panels left, one at a time, from where the groups stopped (panel col / pw starts at dst + col kc)
    (local.set $d (i32.add (local.get $dst) (i32.mul (local.get $col) (local.get $kc))))
    ;; $col: byte offset, within a step, of the panel's first value
    (block $panelsDone (loop $panels
      (br_if $panelsDone (i32.ge_u (local.get $col) (local.get $full)))
      (local.set $q (i32.const 0))
      (local.set $s (i32.add (local.get $src) (local.get $col)))
      (loop $steps
        ;; one step of the panel: 4 width bytes, a vector at a time
        (local.set $g (i32.const 0))
        (loop $groups
          (v128.store (i32.add (local.get $d) (local.get $g)) (v128.load (i32.add (local.get $s) (local.get $g))))
          (local.set $g (i32.add (local.get $g) (i32.const 16)))
          (br_if $groups (i32.lt_u (local.get $g) (i32.shl (local.get $width) (i32.const 2)))))
        (local.set $s (i32.add (local.get $s) (local.get $stride)))
        (local.set $d (i32.add (local.get $d) (i32.shl (local.get $width) (i32.const 2))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br_if $steps (i32.lt_u (local.get $q) (local.get $kc))))
      (local.set $col (i32.add (local.get $col) (i32.shl (local.get $width) (i32.const 2))))
      (br $panels)))
    ;; the last, partial panel: the remaining lines, then zeros up to the width
    (if (local.get $rest) (then
      (local.set $q (i32.const 0))
      (loop $steps
        (local.set $s (i32.add (i32.add (local.get $src) (local.get $col)) (i32.mul (local.get $q) (local.get $stride))))
        (local.set $l (i32.const 0))
        (loop $tail
          (if (i32.lt_u (local.get $l) (local.get $rest))
            (then (f32.store (local.get $d) (f32.load (local.get $s))))
            (else (f32.store (local.get $d) (f32.const 0))))
          (local.set $s (i32.add (local.get $s) (i32.const 4)))
          (local.set $d (i32.add (local.get $d) (i32.const 4)))
          (local.set $l (i32.add (local.get $l) (i32.const 1)))
          (br_if $tail (i32.lt_u (local.get $l) (local.get $width))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br_if $steps (i32.lt_u (local.get $q) (local.get $kc))))))
  )
)
